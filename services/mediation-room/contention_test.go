package mediationroom_test

import (
	"net/http"
	"sync"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// Fifty mediators' clients record the outcome of one mediation at the same
// moment, half as resolved and half as failed: exactly one outcome is
// recorded, the one whose request got the 200, and every other request
// answers 409 at once — never a 500, never a time-out — and one outcome
// event is published, not two.
func TestParallelOutcomesOfOneMediation(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	h.Publish(t, issued("d-busy", events.RiskLow))
	mediator := seated(t, h, "/v1/mediations/d-busy.r1.m1", "")
	outcomes := []map[string]any{
		{"result": "resolved", "agreement": map[string]any{"summary": "院墙后退", "terms": []string{"拆除越界部分"}}},
		{"result": "failed", "reason": "respondent refuses to attend"},
	}
	var mu sync.Mutex
	statuses := map[int]int{}
	var winner string
	var wg sync.WaitGroup
	for i := range 50 {
		body := outcomes[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := h.Do(t, "POST", "/v1/mediations/d-busy.r1.m1/outcome", body, mediator)
			mu.Lock()
			defer mu.Unlock()
			statuses[status]++
			if status == http.StatusOK {
				winner = body["result"].(string)
			}
		}()
	}
	wg.Wait()
	if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != 49 {
		t.Fatalf("statuses %v, want one 200 and 49 409", statuses)
	}
	_, m := h.Do(t, "GET", "/v1/mediations/d-busy.r1.m1", nil, mediator)
	if m["status"] != winner {
		t.Errorf("the mediation is %v, but the outcome that got the 200 was %s: %v", m["status"], winner, m)
	}
	evs := h.AwaitEvents(t, events.TopicMediations, "d-busy", 3) // opened, mediators assigned, the outcome
	if n := evs.Count(events.TypeMediationResolved) + evs.Count(events.TypeMediationFailed); n != 1 {
		t.Errorf("%d outcome events, want 1: %v", n, evs)
	}
}
