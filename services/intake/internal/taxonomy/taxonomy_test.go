package taxonomy

import (
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

func TestDefaultFirstLevelIsTheStatisticsCategories(t *testing.T) {
	d := Default()
	cats := events.Categories()
	if len(d.Categories) != len(cats) {
		t.Fatalf("%d first-level categories, want %d", len(d.Categories), len(cats))
	}
	for i, n := range d.Categories {
		if n.Code != string(cats[i]) || n.Label == "" || len(n.Children) == 0 {
			t.Errorf("first level #%d: %+v, want %s with a label and subcategories", i, n, cats[i])
		}
		assertUniqueCodes(t, n)
	}
}

// assertUniqueCodes: a path names one node, so siblings differ.
func assertUniqueCodes(t *testing.T, n Node) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range n.Children {
		if seen[c.Code] || c.Code == "" || strings.Contains(c.Code, Separator) {
			t.Errorf("under %s: code %q repeated, empty or with %q", n.Code, c.Code, Separator)
		}
		seen[c.Code] = true
		assertUniqueCodes(t, c)
	}
}

func TestCheck(t *testing.T) {
	county := Default().Effective("622901", &Override{Version: "3", Children: map[events.Category][]Node{
		events.CategoryNeighbour: {leaf("livestock", "牲畜")},
	}})
	for _, tc := range []struct {
		name        string
		tax         Taxonomy
		category    events.Category
		subcategory string
		wantErr     string // "" when valid
	}{
		{"none: optional", Default(), events.CategoryNeighbour, "", ""},
		{"second level", Default(), events.CategoryMarriageFamily, "domestic_violence_risk", ""},
		{"third level", Default(), events.CategoryMarriageFamily, "divorce/custody", ""},
		{"third level of another branch", Default(), events.CategoryMarriageFamily, "support_obligations/custody", `"custody" is not under "support_obligations"`},
		{"under another category", Default(), events.CategoryNeighbour, "divorce", `"divorce" is not under "neighbour"`},
		{"four levels", Default(), events.CategoryMarriageFamily, "divorce/custody/x", "at most two levels"},
		{"empty level", Default(), events.CategoryMarriageFamily, "divorce/", `"" is not under "divorce"`},
		{"unknown category", Default(), "feng_shui", "divorce", "has no subcategories"},
		{"county's own subcategory", county, events.CategoryNeighbour, "livestock", ""},
		{"replaced by the county", county, events.CategoryNeighbour, "noise", `"noise" is not under "neighbour"`},
		{"kept where not overridden", county, events.CategoryMarriageFamily, "divorce/property", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.tax.Check(tc.category, tc.subcategory)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want one saying %s", err, tc.wantErr)
			}
		})
	}
}

func TestEffectiveVersionNamesTheOverride(t *testing.T) {
	base := Default()
	if got := base.Effective("622901", nil).Version; got != DefaultVersion {
		t.Errorf("no override: version %s", got)
	}
	o := &Override{Version: "7", Children: map[events.Category][]Node{events.CategoryOther: {leaf("x", "x")}}}
	eff := base.Effective("622901", o)
	if eff.Version != DefaultVersion+"+622901.7" {
		t.Errorf("version %s", eff.Version)
	}
	if base.Categories[len(base.Categories)-1].Children[0].Code != "unclassified" {
		t.Error("Effective changed the base taxonomy")
	}
}

func TestCheckOverride(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Override
		ok   bool
	}{
		{"valid", Override{Version: "1", Children: map[events.Category][]Node{events.CategoryLabour: nil}}, true},
		{"no version", Override{Children: map[events.Category][]Node{events.CategoryLabour: nil}}, false},
		{"not a first-level category", Override{Version: "1", Children: map[events.Category][]Node{"divorce": nil}}, false},
	} {
		if err := CheckOverride(tc.o); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// A county's published override (MediationCenter spec.categories) is read
// into the tree Check walks, three levels deep.
func TestFromPolicy(t *testing.T) {
	o := FromPolicy(policy.CategoryOverride{Version: "sn-2026.1", Children: map[policy.Category][]policy.CategoryNode{
		policy.PropertyManagement: {{Code: "fees", Label: "物业费", Children: []policy.CategoryNode{{Code: "arrears", Label: "欠缴物业费"}}}},
	}})
	tx := Default().Effective("370202", &o)
	if err := CheckOverride(o); err != nil || tx.Version != DefaultVersion+"+370202.sn-2026.1" {
		t.Fatalf("override %v, version %s", err, tx.Version)
	}
	if err := tx.Check(events.CategoryPropertyManagement, "fees/arrears"); err != nil {
		t.Errorf("the county's own subcategory: %v", err)
	}
	if err := Default().Check(events.CategoryPropertyManagement, "fees/arrears"); err == nil {
		t.Error("the province's taxonomy took the county's own subcategory")
	}
}
