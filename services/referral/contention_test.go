package referral_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral"
)

// Fifty clerks sign two copies of one slip at the same moment: each copy is
// signed exactly once, neither signature is lost to the other, and every
// other request answers 409 at once — never a 500, never a time-out.
func TestParallelSignaturesOfOneSlip(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	h.Publish(t, registered("d-busy", "622901", "622901100"))
	officer := servicetest.Officer("622901")
	h.Await(t, "the slip is issued", func() bool {
		status, _ := h.Do(t, "GET", "/v1/slips/d-busy.r1", nil, officer)
		return status == http.StatusOK
	})
	signers := map[string]identity.Caller{
		"jurisdiction": servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7"),
		"committee":    servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"),
	}
	var mu sync.Mutex
	statuses := map[string]map[int]int{"jurisdiction": {}, "committee": {}}
	var wg sync.WaitGroup
	for i := range 50 {
		copyName := []string{"jurisdiction", "committee"}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := h.Do(t, "POST", "/v1/slips/d-busy.r1/copies/"+copyName+"/accept", nil, signers[copyName])
			mu.Lock()
			statuses[copyName][status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	for copyName, byStatus := range statuses {
		if byStatus[http.StatusOK] != 1 || byStatus[http.StatusOK]+byStatus[http.StatusConflict] != 25 {
			t.Errorf("%s copy: statuses %v, want one 200 and the rest 409", copyName, byStatus)
		}
	}
	_, slip := h.Do(t, "GET", "/v1/slips/d-busy.r1", nil, officer)
	for _, c := range slip["copies"].([]any) {
		c := c.(map[string]any)
		if name := fmt.Sprint(c["copy"]); name != "police" && c["accepted_at"] == nil {
			t.Errorf("the %s copy's signature was lost: %v", name, c)
		}
	}
}
