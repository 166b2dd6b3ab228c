package intake_test

import (
	"net/http"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

func TestIneligibleAndMisplacedReports(t *testing.T) {
	h := servicetest.StartWith(t, intake.New, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901"}, Revision: 1,
		Jurisdiction: []policy.Township{{ID: "622901100", Villages: []policy.Village{{ID: "622901100001", Grids: []policy.Grid{{ID: "G-07"}}}}}},
	})
	officer := servicetest.Officer("622901")

	// A place outside the county's jurisdiction tree is refused, naming the
	// field, once the service has read the county's policy.
	misplaced := report(func(r map[string]any) {
		r["place"] = map[string]any{"township_code": "622901300"}
	})
	h.Await(t, "the jurisdiction tree is applied", func() bool {
		status, raw, _ := h.DoRaw(t, "POST", "/v1/disputes", misplaced, officer, "Idempotency-Key", "misplaced")
		return status == http.StatusBadRequest && strings.Contains(string(raw), "#/place/township_code")
	})

	// A crime is recorded, not mediated: "redirected", with its reason, and
	// no "registered" event for referral to issue a slip on.
	crime := report(func(r map[string]any) {
		r["external_ref"], r["place"] = "110-20261123-0666", map[string]any{"township_code": "622901100"}
		r["parties"] = []map[string]any{{"role": "applicant", "name": "马六", "phone": "13600000000"}}
		r["redirect"] = map[string]any{"to": "criminal_case", "reason": "持刀伤人，转刑事立案"}
	})
	status, d := h.Do(t, "POST", "/v1/disputes", crime, officer)
	if status != http.StatusCreated || d["status"] != "redirected" {
		t.Fatalf("redirect: %d %v", status, d)
	}
	types := h.AwaitEvents(t, events.TopicDisputes, d["id"].(string), 1).Types()
	if len(types) != 1 || types[0] != events.TypeDisputeRedirected {
		t.Fatalf("events %v, want the redirected one only", types)
	}
}

// Once the province publishes its counties' policies, only those counties
// are served: a code that is no county (123456) and a real county without a
// MediationCenter (370202 here) are refused, naming the county; the
// published county is served.
func TestOnlyCountiesWithAPublishedPolicyAreServed(t *testing.T) {
	h := servicetest.StartWith(t, intake.New, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901"}, Revision: 1,
	})
	for _, county := range []string{"370202", "123456"} {
		elsewhere := report(func(r map[string]any) { r["county_code"], r["place"] = county, map[string]any{} })
		var raw []byte
		h.Await(t, "the policies are read and "+county+" is refused", func() bool {
			var status int
			status, raw, _ = h.DoRaw(t, "POST", "/v1/disputes", elsewhere, servicetest.Officer(county), "Idempotency-Key", "not-a-tenant-"+county)
			return status == http.StatusBadRequest
		})
		if !strings.Contains(string(raw), "#/county_code") || !strings.Contains(string(raw), "county "+county) {
			t.Fatalf("the refusal of %s does not name the county: %s", county, raw)
		}
	}
	if status, d := h.Do(t, "POST", "/v1/disputes", report(func(map[string]any) {}), servicetest.Officer("622901")); status != http.StatusCreated {
		t.Fatalf("the published county: %d %v", status, d)
	}
}
