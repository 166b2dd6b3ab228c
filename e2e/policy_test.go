package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// With the sample counties' MediationCenter policies published (as `make
// run` does), intake checks the place against Linxia's jurisdiction tree and
// the slip goes to the unit Linxia's routing rules name (谁主管谁负责).
func TestTheCountyPolicyDecidesPlaceAndRouting(t *testing.T) {
	p := start(t, "", "../operators/mediationcenter/config/samples")

	// The services read the policy topic as they start: poll until intake
	// knows Linxia's tree and refuses a township that is not in it. Each
	// attempt has its own external reference: an attempt accepted before
	// the policy arrived would otherwise be replayed (200) for ever after.
	var status int
	var problem map[string]any
	for attempt, deadline := 0, time.Now().Add(60*time.Second); time.Now().Before(deadline); attempt++ {
		unknownTownship := registration(fmt.Sprintf("八坊街道邻里纠纷 %d", attempt))
		unknownTownship["place"] = map[string]any{"township_code": "622901099"}
		// Parties of its own too: the same people registered again are a
		// repeat report of an attempt that was accepted, not a new dispute.
		unknownTownship["parties"] = []map[string]any{
			{"role": "applicant", "name": fmt.Sprintf("试%d", attempt), "phone": fmt.Sprintf("137%08d", attempt)},
			{"role": "respondent", "name": fmt.Sprintf("验%d", attempt)},
		}
		if status, problem = p.do(t, "intake", "POST", "/v1/disputes", unknownTownship, officer); status == http.StatusBadRequest {
			break
		}
		time.Sleep(50 * time.Millisecond) // a poll interval, not a wait for a condition
	}
	if status != http.StatusBadRequest || pointer(problem) != "#/place/township_code" {
		t.Fatalf("a township outside Linxia's tree: %d %v", status, problem)
	}

	reg := registration("八坊街道邻里纠纷")
	reg["category"] = "neighbour"
	reg["place"] = map[string]any{"township_code": "622901001", "village_code": "622901001001"} // 八坊街道第一社区
	status, d := p.do(t, "intake", "POST", "/v1/disputes", reg, officer)
	if status != http.StatusCreated {
		t.Fatalf("register in 八坊街道: %d %v", status, d)
	}
	slip := p.eventually(t, "referral", "/v1/slips/"+d["id"].(string)+".r1", officer, "the slip is issued", func(map[string]any) bool { return true })
	for _, c := range slip["copies"].([]any) {
		c := c.(map[string]any)
		if c["copy"] == "jurisdiction" && agencyID(c["recipient"]) != "bafang-centre" {
			t.Fatalf("Linxia routes neighbour disputes of 八坊街道 to bafang-centre, not %v", c["recipient"])
		}
	}
}

func pointer(problem map[string]any) any {
	errs, _ := problem["errors"].([]any)
	if len(errs) == 0 {
		return nil
	}
	return errs[0].(map[string]any)["pointer"]
}
