package revisit_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/revisit"
)

// Fifty clients of the centre record the result of one revisit at the same
// moment, half as stable and half as a rebound: exactly one result is
// recorded, the one whose request got the 200, every other request answers
// 409 at once — never a 500, never a time-out — and one revisit.completed
// event is published for it, not two.
func TestParallelResultsOfOneRevisit(t *testing.T) {
	h := servicetest.Start(t, revisit.New)
	settled := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	h.Publish(t, resolved("d-busy", "622901", events.CategoryMarriageFamily, events.RiskHigh, settled))
	h.Publish(t, issued("d-busy"))
	h.Await(t, "the revisits are scheduled", func() bool {
		_, first := h.Do(t, "GET", "/v1/revisits/d-busy.r1.v1", nil, centreStaff)
		_, extra := h.Do(t, "GET", "/v1/revisits/d-busy.r1.v2", nil, centreStaff)
		return first["status"] == "scheduled" && extra["status"] == "scheduled"
	})
	results := []map[string]any{{"outcome": "stable"}, {"outcome": "rebound", "note": "又吵起来了"}}
	var mu sync.Mutex
	statuses := map[int]int{}
	var winner string
	var wg sync.WaitGroup
	for i := range 50 {
		body := results[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := h.Do(t, "POST", "/v1/revisits/d-busy.r1.v1/result", body, centreStaff)
			mu.Lock()
			defer mu.Unlock()
			statuses[status]++
			if status == http.StatusOK {
				winner = body["outcome"].(string)
			}
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != 49 {
		t.Fatalf("statuses %v, want one 200 and 49 409", statuses)
	}
	_, r := h.Do(t, "GET", "/v1/revisits/d-busy.r1.v1", nil, centreStaff)
	if r["outcome"] != winner {
		t.Errorf("the revisit's outcome is %v, but the result that got the 200 was %s: %v", r["outcome"], winner, r)
	}
	// The extra revisit's result is written after the race, so its event
	// follows any event of the race on the dispute's partition: once it is
	// there, a second completion of the first revisit would be too.
	if status, p := h.Do(t, "POST", "/v1/revisits/d-busy.r1.v2/result", map[string]any{"outcome": "stable"}, centreStaff); status != http.StatusOK {
		t.Fatalf("the extra revisit's result: %d %v", status, p)
	}
	done := completions(t, h, 2)
	if len(done) != 2 || done[0].RevisitID == done[1].RevisitID {
		t.Errorf("completions %+v, want one for each revisit", done)
	}
}
