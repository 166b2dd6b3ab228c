package intake_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

func TestCategoriesAreCheckedAgainstTheCountysTaxonomy(t *testing.T) {
	// A county's own subtrees come with its published policy
	// (MediationCenter spec.categories); the other county has none.
	h := servicetest.StartWith(t, intake.New, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901"}, Revision: 1,
		Categories: &policy.CategoryOverride{Version: "1", Children: map[policy.Category][]policy.CategoryNode{
			policy.Neighbour: {{Code: "livestock", Label: "牲畜"}},
		}},
	}, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "370202"}, Revision: 1,
	})
	officer := servicetest.Officer("622901")
	h.Await(t, "the county's policies are read", func() bool {
		_, mine := h.Do(t, "GET", "/v1/categories", nil, officer)
		_, other := h.Do(t, "GET", "/v1/categories", nil, servicetest.Officer("370202"))
		return mine["version"] == "2026.1+622901.1" && other["version"] == "2026.1"
	})

	// GET /v1/categories: the county's effective taxonomy, or the default.
	var tax struct {
		Version    string `json:"version"`
		Categories []struct {
			Code     string `json:"code"`
			Children []struct {
				Code string `json:"code"`
			} `json:"children"`
		} `json:"categories"`
	}
	status, raw, _ := h.DoRaw(t, "GET", "/v1/categories", nil, officer)
	if err := json.Unmarshal(raw, &tax); err != nil || status != http.StatusOK {
		t.Fatalf("GET /v1/categories: %d %s", status, raw)
	}
	if tax.Version != "2026.1+622901.1" || len(tax.Categories) != len(events.Categories()) ||
		tax.Categories[1].Code != "neighbour" || tax.Categories[1].Children[0].Code != "livestock" {
		t.Fatalf("county taxonomy %+v", tax)
	}
	if _, other := h.Do(t, "GET", "/v1/categories", nil, servicetest.Officer("370202")); other["version"] != "2026.1" {
		t.Fatalf("default taxonomy version %v", other["version"])
	}

	// A subcategory outside the county's tree: problem+json at #/subcategory.
	bad := report(func(r map[string]any) { r["subcategory"] = "noise" })
	status, body := h.Do(t, "POST", "/v1/disputes", bad, officer)
	if errs, _ := body["errors"].([]any); status != http.StatusBadRequest || len(errs) == 0 || errs[0].(map[string]any)["pointer"] != "#/subcategory" {
		t.Fatalf("bad subcategory: %d %v", status, body)
	}

	// A valid path is recorded with the taxonomy version; category stays the first level.
	good := report(func(r map[string]any) { r["category"], r["subcategory"] = "marriage_family", "divorce/custody" })
	status, d := h.Do(t, "POST", "/v1/disputes", good, officer)
	if status != http.StatusCreated || d["category"] != "marriage_family" || d["subcategory"] != "divorce/custody" || d["taxonomy_version"] != "2026.1+622901.1" {
		t.Fatalf("registered: %d %v", status, d)
	}
}
