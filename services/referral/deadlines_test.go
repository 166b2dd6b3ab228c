package referral_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/referral"
)

func startWithClock(t *testing.T, start time.Time) (*servicetest.Harness, *testtime.Clock) {
	clk := testtime.NewClock(start)
	return servicetest.Start(t, referral.NewWith(referral.Options{Now: clk.Now, SweepEvery: 50 * time.Millisecond})), clk
}

// jurisdictionCopy returns the slip's jurisdiction copy as the API shows it.
func jurisdictionCopy(t *testing.T, h *servicetest.Harness, slipID string) map[string]any {
	status, s := h.Do(t, "GET", "/v1/slips/"+slipID, nil, servicetest.Officer("622901"))
	if status != http.StatusOK {
		return nil
	}
	for _, c := range s["copies"].([]any) {
		if c := c.(map[string]any); c["copy"] == string(events.CopyJurisdiction) {
			return c
		}
	}
	return nil
}

func TestAnUnsignedCopyEscalatesWhenTheClockPassesItsDeadline(t *testing.T) {
	h, clk := startWithClock(t, time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)) // Monday 09:00 in China
	h.Publish(t, registered("d-late", "622901", "622901100"))                  // high risk: 2 hours (the MediationCenter's default), wall clock
	h.Await(t, "the slip is issued", func() bool { return jurisdictionCopy(t, h, "d-late.r1") != nil })
	// The committee and the station sign at once; the street centre does not.
	for cp, who := range map[events.Copy]identity.Caller{
		events.CopyCommittee: servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"),
		events.CopyPolice:    servicetest.Officer("622901"),
	} {
		if status, p := h.Do(t, "POST", "/v1/slips/d-late.r1/copies/"+string(cp)+"/accept", nil, who); status != http.StatusOK {
			t.Fatalf("accept %s: %d %v", cp, status, p)
		}
	}

	clk.Advance(65 * time.Minute)
	h.Await(t, "the 50% warning", func() bool {
		w, _ := jurisdictionCopy(t, h, "d-late.r1")["warned"].([]any)
		return len(w) == 1
	})
	clk.Advance(60 * time.Minute) // 2 h 5 min: past the deadline
	h.Await(t, "the escalation", func() bool {
		return jurisdictionCopy(t, h, "d-late.r1")["level"] == "county_committee"
	})
	clk.Advance(150 * time.Minute) // past the new deadline: warned, but the ladder ends at the county committee
	h.Await(t, "the warnings of the new clock", func() bool {
		w, _ := jurisdictionCopy(t, h, "d-late.r1")["warned"].([]any)
		return len(w) == 2
	})
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	if status, p := h.Do(t, "POST", "/v1/slips/d-late.r1/copies/jurisdiction/accept", nil, centre); status != http.StatusOK {
		t.Fatalf("late accept: %d %v", status, p)
	}

	// issued, 2 accepted, warning 50%, escalated, warnings 50% and 75%, accepted late.
	got := h.AwaitEvents(t, events.TopicReferrals, "d-late", 8)
	if len(got) != 8 {
		t.Fatalf("%d referral events, want 8: %v", len(got), got)
	}
	esc, ok := got[4].Payload.(*events.ReferralCopyEscalated)
	if !ok {
		t.Fatalf("event 5 is %T, want the escalation", got[4].Payload)
	}
	if esc.Copy != events.CopyJurisdiction || esc.FromLevel != "street_centre" || esc.ToLevel != "county_committee" ||
		esc.ElapsedSeconds != 125*60 || esc.Reason == "" || esc.To.ID != "plc-622901" || esc.From.ID != "gc-622901100" {
		t.Errorf("escalation %+v", esc)
	}
	if w, ok := got[3].Payload.(*events.ReferralCopyDeadlineWarning); !ok || w.Percent != 50 || w.ElapsedSeconds != 65*60 {
		t.Errorf("first warning %+v", got[3].Payload)
	}
	if a, ok := got[7].Payload.(*events.ReferralCopyAccepted); !ok || !a.Late || a.TimeToSignSeconds != 275*60 {
		t.Errorf("late acceptance %+v", got[7].Payload)
	}
}

// registerUntilRouted publishes registrations of new disputes until one is
// routed to want: the policy watcher catches up with the policy topic in
// parallel with the consumer, so the first may still see no policy.
func registerUntilRouted(t *testing.T, h *servicetest.Harness, want string) string {
	for i := 1; i <= 10; i++ {
		id := fmt.Sprintf("d-routed-%d", i)
		h.Publish(t, registered(id, "622901", "622901100"))
		var got string
		h.Await(t, "the slip of "+id, func() bool {
			c := jurisdictionCopy(t, h, id+".r1")
			if c != nil {
				got = c["recipient"].(map[string]any)["id"].(string)
			}
			return c != nil
		})
		if got == want {
			return id
		}
	}
	t.Fatalf("no slip was routed to %s", want)
	return ""
}

func linxiaPolicy() policy.CountyPolicy {
	return policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901", Name: "临夏市"}, Revision: 1,
		Agencies: []policy.Agency{
			{ID: "sfs-chengguan", Kind: policy.JudicialOffice, Township: "622901100"},
			{ID: "tjw-county", Kind: policy.MediationCommittee},
			{ID: "zzzx-county", Kind: policy.GovernanceCentre},
		},
		Routing: []policy.RoutingRule{
			{Category: policy.Neighbour, Township: "622901100", Agency: "sfs-chengguan"},
			{Category: policy.Neighbour, Agency: "tjw-county"},
		},
	}
}

func returnCopy(t *testing.T, h *servicetest.Harness, slipID, agency, reason string) (int, map[string]any) {
	return h.Do(t, "POST", "/v1/slips/"+slipID+"/copies/jurisdiction/return", map[string]string{"reason": reason},
		servicetest.Caller("622901", agency, identity.RoleJurisdiction, "S7"))
}

func TestReturnsFollowTheCountyRulesAndAreBounded(t *testing.T) {
	h := servicetest.StartWith(t, referral.New, linxiaPolicy())
	id := registerUntilRouted(t, h, "sfs-chengguan") // "谁主管谁负责": the township's rule
	slip := id + ".r1"

	if status, p := returnCopy(t, h, slip, "sfs-chengguan", " "); status != http.StatusBadRequest {
		t.Fatalf("a return without a reason: %d %v", status, p)
	}
	if status, _ := returnCopy(t, h, slip, "tjw-county", "not ours"); status != http.StatusForbidden {
		t.Fatalf("a unit returned a copy it does not hold: %d", status)
	}
	for _, step := range []struct{ by, next string }{{"sfs-chengguan", "tjw-county"}, {"tjw-county", "zzzx-county"}} {
		status, p := returnCopy(t, h, slip, step.by, "不属本单位职责")
		if status != http.StatusOK {
			t.Fatalf("return by %s: %d %v", step.by, status, p)
		}
		if got := jurisdictionCopy(t, h, slip)["recipient"].(map[string]any)["id"]; got != step.next {
			t.Fatalf("after the return by %s the copy is with %v, want %s", step.by, got, step.next)
		}
	}
	if c := jurisdictionCopy(t, h, slip); c["backstop"] != true || c["returns"] != float64(2) {
		t.Fatalf("after two returns: %v", c)
	}
	if status, _ := returnCopy(t, h, slip, "zzzx-county", "还是不归我们"); status != http.StatusConflict {
		t.Fatalf("the county centre returned its backstop copy: %d", status)
	}

	// The jurisdiction topic carries the copy to each new holder, parties masked.
	var holders []string
	h.Await(t, "the re-issued copies", func() bool {
		holders = nil
		for _, m := range h.Read(t, events.CountyCopyTopic("622901", events.CopyJurisdiction), 1) {
			var c events.ReferralCopyIssued
			if err := json.Unmarshal(m.Value, &c); err != nil {
				t.Fatal(err)
			}
			if c.DisputeID == id {
				holders = append(holders, c.To.ID)
			}
		}
		return len(holders) == 3
	})
	if fmt.Sprint(holders) != "[sfs-chengguan tjw-county zzzx-county]" {
		t.Fatalf("jurisdiction copies went to %v", holders)
	}
	returns := servicetest.Payloads[events.ReferralCopyReturned](h.AwaitEvents(t, events.TopicReferrals, id, 3))
	if len(returns) != 2 || returns[0].Backstop || !returns[1].Backstop || returns[1].Returns != 2 || returns[1].MaxReturns != 2 {
		t.Fatalf("returned events %+v", returns)
	}
}
