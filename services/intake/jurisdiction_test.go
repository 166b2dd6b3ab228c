package intake_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

// The console picks places from the county's jurisdiction tree and shows
// agencies by name: GET /v1/jurisdiction answers the caller's county's,
// and nothing of another county.
func TestJurisdictionIsTheCallersCountysTree(t *testing.T) {
	h := servicetest.StartWith(t, intake.New, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901", Name: "临夏市"}, Revision: 3,
		Jurisdiction: []policy.Township{{ID: "622901001", Name: "八坊街道", Kind: "street",
			Villages: []policy.Village{{ID: "622901001001", Name: "八坊社区", Kind: "community"}}}},
		Agencies: []policy.Agency{{ID: "bafang-centre", Name: "八坊街道综治中心", Kind: "governance_centre", Township: "622901001"}},
		Rooms:    []policy.Room{{ID: "bafang-room", Name: "八坊派出所调解室", Agency: "bafang-police", Tier: 2}},
	})

	type tree struct {
		County    policy.County     `json:"county"`
		Revision  int64             `json:"revision"`
		Townships []policy.Township `json:"townships"`
		Agencies  []policy.Agency   `json:"agencies"`
		Rooms     []policy.Room     `json:"rooms"`
	}
	get := func(county string) tree {
		status, raw, _ := h.DoRaw(t, "GET", "/v1/jurisdiction", nil, servicetest.Officer(county))
		var v tree
		if err := json.Unmarshal(raw, &v); err != nil || status != http.StatusOK {
			t.Fatalf("GET /v1/jurisdiction as %s: %d %s", county, status, raw)
		}
		return v
	}
	h.Await(t, "the county's policy is read", func() bool { return get("622901").Revision == 3 })
	v := get("622901")
	if v.County.Name != "临夏市" || len(v.Townships) != 1 || v.Townships[0].Villages[0].Name != "八坊社区" ||
		len(v.Agencies) != 1 || v.Agencies[0].Name != "八坊街道综治中心" || len(v.Rooms) != 1 || v.Rooms[0].Name != "八坊派出所调解室" {
		t.Fatalf("622901's tree: %+v", v)
	}
	if other := get("370202"); other.County.Code != "370202" || len(other.Townships) != 0 || len(other.Agencies) != 0 {
		t.Fatalf("another county sees %+v", other)
	}
}
