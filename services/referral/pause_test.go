package referral_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
)

func TestAPausedCopyRaisesNothingAndItsDeadlineMoves(t *testing.T) {
	issued := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	h, clk := startWithClock(t, issued)
	// d-witness is not paused: its escalation shows the sweeper ran.
	h.Publish(t, registered("d-paused", "622901", "622901100"), registered("d-witness", "622901", "622901100")) // high risk: 2 hours
	for _, id := range []string{"d-paused", "d-witness"} {
		h.Await(t, "the slip is issued", func() bool { return jurisdictionCopy(t, h, id+".r1") != nil })
		for cp, who := range map[events.Copy]identity.Caller{
			events.CopyCommittee: servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"),
			events.CopyPolice:    servicetest.Officer("622901"),
		} {
			if status, p := h.Do(t, "POST", "/v1/slips/"+id+".r1/copies/"+string(cp)+"/accept", nil, who); status != http.StatusOK {
				t.Fatalf("accept %s: %d %v", cp, status, p)
			}
		}
	}
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	pause := "/v1/slips/d-paused.r1/copies/jurisdiction/pause"
	if status, p := h.Do(t, "POST", pause, map[string]any{"reason": " "}, centre); status != http.StatusBadRequest {
		t.Fatalf("pause without a reason: %d %v", status, p)
	}
	other := servicetest.Caller("622901", "gc-622901200", identity.RoleJurisdiction, "S9")
	if status, p := h.Do(t, "POST", pause, map[string]any{"reason": "等待"}, other); status != http.StatusForbidden {
		t.Fatalf("pause by another unit: %d %v", status, p)
	}

	clk.Advance(5 * time.Minute)
	status, s := h.Do(t, "POST", pause, map[string]any{"reason": "当事人外出务工，待返乡后调解"}, centre)
	if status != http.StatusOK {
		t.Fatalf("pause: %d %v", status, s)
	}
	if p, _ := jurisdictionCopy(t, h, "d-paused.r1")["paused"].(map[string]any); p["reason"] != "当事人外出务工，待返乡后调解" {
		t.Fatalf("the slip does not show the pause: %v", jurisdictionCopy(t, h, "d-paused.r1"))
	}
	if _, page, _ := h.DoRaw(t, "GET", "/v1/slips/d-paused.r1/print", nil, centre); !strings.Contains(string(page), "当事人外出务工，待返乡后调解") {
		t.Fatalf("the printed slip does not show the pause: %s", page)
	}

	// 2½ hours paused: past the 2-hour deadline, yet nothing is raised,
	// and on resuming the deadline has moved by the 2½ hours.
	clk.Advance(150 * time.Minute)
	h.Await(t, "the witness escalates", func() bool {
		return jurisdictionCopy(t, h, "d-witness.r1")["level"] == "county_committee"
	})
	if c := jurisdictionCopy(t, h, "d-paused.r1"); c["level"] != "street_centre" || c["warned"] != nil {
		t.Fatalf("warned or escalated while paused: %v", c)
	}
	if status, s := h.Do(t, "POST", "/v1/slips/d-paused.r1/copies/jurisdiction/resume", nil, centre); status != http.StatusOK {
		t.Fatalf("resume: %d %v", status, s)
	}
	c := jurisdictionCopy(t, h, "d-paused.r1")
	if c["accept_by"] != issued.Add(270*time.Minute).Format(time.RFC3339) || c["paused"] != nil || c["paused_for"] != "2h30m0s" {
		t.Fatalf("resumed copy %v", c)
	}

	// The 50% warning comes an hour of running clock after issue.
	clk.Advance(60 * time.Minute)
	h.Await(t, "the 50% warning", func() bool {
		w, _ := jurisdictionCopy(t, h, "d-paused.r1")["warned"].([]any)
		return len(w) == 1
	})
	if c := jurisdictionCopy(t, h, "d-paused.r1"); c["level"] != "street_centre" {
		t.Fatalf("escalated though its clock was paused: %v", c)
	}
	// issued, 2 accepted, the one warning: nothing raised while paused.
	if got := h.AwaitEvents(t, events.TopicReferrals, "d-paused", 4); len(got) != 4 {
		t.Fatalf("%d referral events, want 4: %v", len(got), got)
	}
}
