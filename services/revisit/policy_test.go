package revisit_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/revisit"
)

const jiuquan = "620900"

var jiuquanStaff = servicetest.Caller(jiuquan, "gc-620900100", identity.RoleJurisdiction, "S9")

func days(n int) time.Duration             { return time.Duration(n) * 24 * time.Hour }
func at(s time.Time, d int) string         { return s.Add(days(d)).Format(time.RFC3339) }
func status(r map[string]any) any          { return r["status"] }
func field(r map[string]any, k string) any { return r[k] }

// Jiuquan's policy: first revisit within 7 days, phone or WeChat only, two
// extra revisits 10 days apart for land disputes.
var jiuquanPolicy = policy.CountyPolicy{
	SchemaVersion: policy.SchemaVersion, County: policy.County{Code: jiuquan, Name: "酒泉市"}, Revision: 1,
	Revisit: policy.RevisitPolicy{Deadline: policy.Days(7), Channels: []policy.RevisitChannel{policy.RevisitPhone, policy.RevisitWeChat},
		ReboundProne: []policy.ReboundRule{{Category: policy.LandForest, ExtraRevisits: 2, Interval: policy.Days(10)}}},
}

func TestPolicyExtrasEscalationAndFollowUp(t *testing.T) {
	settled := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	clk := testtime.NewClock(settled.Add(time.Hour))
	h := servicetest.StartWith(t, revisit.NewWith(revisit.Options{Now: clk.Now, SweepEvery: 50 * time.Millisecond}), jiuquanPolicy)

	id := settleUnderPolicy(t, h, settled)
	for n, want := range map[int]string{2: at(settled, 17), 3: at(settled, 27)} {
		var r map[string]any
		h.Await(t, "the extra revisits", func() bool { // each is its own write, after the first
			_, r = h.Do(t, "GET", fmt.Sprintf("/v1/revisits/%s.r1.v%d", id, n), nil, jiuquanStaff)
			return r["status"] == "scheduled"
		})
		if r["kind"] != "extra" || r["due_by"] != want || r["channel"] != "phone" {
			t.Fatalf("extra revisit %d = %v, want due %s by phone", n, r, want)
		}
	}

	// Unreachable three times: retried, then escalated as unreachable.
	v1 := "/v1/revisits/" + id + ".r1.v1"
	for i := 1; i <= 3; i++ {
		if s, p := h.Do(t, "POST", v1+"/result", map[string]any{"outcome": "unreachable"}, jiuquanStaff); s != http.StatusOK || p["attempts"] != float64(i) {
			t.Fatalf("attempt %d: %d %v", i, s, p)
		}
	}
	// Day 18: v1 (due day 7) and v2 (due day 17) are overdue, v3 is not.
	clk.Set(settled.Add(days(18)))
	var escalated []events.RevisitEscalated
	h.Await(t, "the overdue revisit is escalated", func() bool {
		escalated = servicetest.Payloads[events.RevisitEscalated](servicetest.Decoded(t, h.Read(t, events.TopicRevisits, 1)))
		return len(escalated) >= 2
	})
	reasons := map[string]events.RevisitEscalationReason{}
	for _, e := range escalated {
		if e.To.Kind != events.AgencyCommittee {
			t.Fatalf("an escalation goes to the committee: %+v", e)
		}
		reasons[e.RevisitID] = e.Reason
	}
	if len(escalated) != 2 || reasons[id+".r1.v1"] != events.RevisitUnreachable || reasons[id+".r1.v2"] != events.RevisitOverdue {
		t.Fatalf("escalations %v: v1 once as unreachable (overdue later, not again), v2 as overdue", reasons)
	}
	if s, p := h.Do(t, "POST", "/v1/revisits/"+id+".r1.v3/assign", map[string]any{"officer": "S9"}, jiuquanStaff); s != http.StatusOK || p["officer"] != "S9" {
		t.Fatalf("assign: %d %v", s, p)
	}
	if s, _ := h.Do(t, "POST", "/v1/revisits/"+id+".r1.v3/assign", map[string]any{"officer": ""}, jiuquanStaff); s != http.StatusBadRequest {
		t.Fatalf("assign nobody: %d", s)
	}
	_, load := h.Do(t, "GET", "/v1/revisits/workload", nil, jiuquanStaff)
	u := load["units"].([]any)[0].(map[string]any)
	officers := fmt.Sprint(load["officers"])
	if u["key"] != centre.ID || u["overdue"] != float64(2) || u["due"] != float64(1) || !strings.Contains(officers, "key:S9 overdue:0") {
		t.Fatalf("workload %v", load)
	}

	// A partial settlement gets a follow-up a week later; an unscheduled
	// revisit can be added at any time.
	if s, p := h.Do(t, "POST", v1+"/result", map[string]any{"outcome": "partially_settled", "note": "补偿款还差一半", "satisfaction": "basically_satisfied"}, jiuquanStaff); s != http.StatusOK {
		t.Fatalf("partial: %d %v", s, p)
	}
	h.Await(t, "the follow-up is scheduled", func() bool {
		_, f := h.Do(t, "GET", v1+".f", nil, jiuquanStaff)
		return status(f) == "scheduled" && field(f, "kind") == "follow_up" && field(f, "due_by") == at(settled, 25)
	})
	s, u := h.Do(t, "POST", "/v1/disputes/"+id+"/revisits", map[string]any{"round": 1}, jiuquanStaff)
	if s != http.StatusCreated || u["kind"] != "unscheduled" || u["status"] != "scheduled" {
		t.Fatalf("unscheduled revisit: %d %v", s, u)
	}
	if s, _ := h.Do(t, "POST", "/v1/disputes/"+id+"/revisits", map[string]any{"round": 0}, jiuquanStaff); s != http.StatusBadRequest {
		t.Fatalf("round 0: %d", s)
	}
}

// settleUnderPolicy publishes settlements of new land disputes until one is
// scheduled under Jiuquan's policy (due 7 days after settlement): the policy
// watcher catches up with the policy topic in parallel with the consumer,
// so the first may still see no policy. A revisit scheduled without it is
// recorded as stable at once.
func settleUnderPolicy(t *testing.T, h *servicetest.Harness, settled time.Time) string {
	t.Helper()
	for i := 1; i <= 10; i++ {
		id := fmt.Sprintf("d-land-%d", i)
		h.Publish(t, resolved(id, jiuquan, events.CategoryLandForest, events.RiskHigh, settled))
		var r map[string]any
		h.Await(t, "the revisit of "+id, func() bool {
			_, r = h.Do(t, "GET", "/v1/revisits/"+id+".r1.v1", nil, jiuquanStaff)
			return r["status"] == "scheduled"
		})
		if r["due_by"] == at(settled, 7) {
			return id
		}
		// Scheduled on the defaults: the first revisit and the defaults'
		// extras are recorded at once, so that none is overdue or counted
		// in the workload the caller checks.
		extras, _ := policy.DefaultRevisit().ExtraRevisits(policy.LandForest)
		for n := 1; n <= 1+extras; n++ {
			revisitID := fmt.Sprintf("/v1/revisits/%s.r1.v%d", id, n)
			h.Await(t, "the revisit scheduled on the defaults "+revisitID, func() bool {
				_, r = h.Do(t, "GET", revisitID, nil, jiuquanStaff)
				return r["status"] == "scheduled"
			})
			if s, p := h.Do(t, "POST", revisitID+"/result", map[string]any{"outcome": "stable", "satisfaction": "satisfied"}, jiuquanStaff); s != http.StatusOK {
				t.Fatalf("closing the revisit scheduled without the policy: %d %v", s, p)
			}
		}
	}
	t.Fatal("the county's policy was never applied")
	return ""
}
