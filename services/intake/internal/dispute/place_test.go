package dispute

import (
	"testing"

	"fengqiao.dev/api/policy"
)

func TestCheckPlaceAgainstTheJurisdictionTree(t *testing.T) {
	tree := []policy.Township{
		{ID: "622901100", Villages: []policy.Village{
			{ID: "622901100001", Grids: []policy.Grid{{ID: "G-07"}}},
			{ID: "622901100002"},
		}},
		{ID: "622901200"},
	}
	for _, tc := range []struct {
		name    string
		place   PlaceInput
		tree    []policy.Township
		pointer string // "" for valid
	}{
		{"township, village and grid", PlaceInput{TownshipCode: "622901100", VillageCode: "622901100001", Grid: "G-07"}, tree, ""},
		{"a village without grids accepts any grid", PlaceInput{TownshipCode: "622901100", VillageCode: "622901100002", Grid: "G-99"}, tree, ""},
		{"township only", PlaceInput{TownshipCode: "622901200"}, tree, ""},
		{"no place below the county", PlaceInput{}, tree, ""},
		{"no tree: nothing to check", PlaceInput{TownshipCode: "622901999"}, nil, ""},
		{"unknown township", PlaceInput{TownshipCode: "622901999"}, tree, "#/place/township_code"},
		{"village of another township", PlaceInput{TownshipCode: "622901200", VillageCode: "622901200001"}, tree, "#/place/village_code"},
		{"unknown grid", PlaceInput{TownshipCode: "622901100", VillageCode: "622901100001", Grid: "G-08"}, tree, "#/place/grid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckPlace(tc.place, tc.tree)
			if tc.pointer == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ve, ok := err.(*ValidationError)
			if !ok || len(ve.Fields) != 1 || ve.Fields[0].Pointer != tc.pointer {
				t.Fatalf("got %v, want %s", err, tc.pointer)
			}
		})
	}
}
