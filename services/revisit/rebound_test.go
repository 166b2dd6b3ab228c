package revisit_test

import (
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
	"fengqiao.dev/services/revisit"
)

// TestReboundReopensTheDisputeWithIntake runs intake and revisit on one
// stack: a rebound found at revisit reopens the dispute in intake for a
// second round, and the second round's revisit links back to the first.
func TestReboundReopensTheDisputeWithIntake(t *testing.T) {
	stack := embeddedtest.Start(t)
	in := servicetest.StartOn(t, stack, intake.New)
	rv := servicetest.StartOn(t, stack, revisit.New)
	officer := servicetest.Officer("622901")

	status, d := in.Do(t, "POST", "/v1/disputes", map[string]any{
		"channel": "alert_110", "external_ref": "110-rebound-1", "county_code": "622901",
		"place":    map[string]any{"township_code": "622901100", "village_code": "622901100001"},
		"category": "neighbour",
		"parties":  []map[string]any{{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "李四"}},
		"summary":  "院墙争执", "narrative": "两户因院墙位置发生争执。",
	}, officer)
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	id := d["id"].(string)
	settled := time.Now().UTC().Truncate(time.Second)
	rv.Publish(t, resolved(id, "622901", events.CategoryNeighbour, events.RiskLow, settled))
	first := "/v1/revisits/" + id + ".r1.v1"
	rv.Await(t, "round 1's revisit is scheduled", func() bool {
		_, r := rv.Do(t, "GET", first, nil, centreStaff)
		return r["status"] == "scheduled"
	})
	if s, p := rv.Do(t, "POST", first+"/result", map[string]any{"outcome": "rebound", "note": "又因院墙争吵"}, centreStaff); s != http.StatusOK {
		t.Fatalf("rebound: %d %v", s, p)
	}
	in.Await(t, "intake reopens the dispute for round 2", func() bool {
		_, got := in.Do(t, "GET", "/v1/disputes/"+id, nil, officer)
		return got["round"] == float64(2) && got["status"] == "reopened"
	})

	second := resolved(id, "622901", events.CategoryNeighbour, events.RiskMedium, settled.Add(time.Hour))
	second.Round, second.MediationID = 2, id+".r2.m1"
	rv.Publish(t, second)
	rv.Await(t, "round 2's revisit links round 1's", func() bool {
		_, r := rv.Do(t, "GET", "/v1/revisits/"+id+".r2.v1", nil, centreStaff)
		return r["status"] == "scheduled" && r["follows"] == id+".r1.v1"
	})
	// Each round: the first and one extra (neighbours are rebound-prone).
	rv.Await(t, "four revisits over both rounds", func() bool {
		_, all := rv.Do(t, "GET", "/v1/disputes/"+id+"/revisits", nil, centreStaff)
		return len(all["revisits"].([]any)) == 4
	})
}
