package dispute

import "fengqiao.dev/api/policy"

// CheckPlace checks a place against the county's jurisdiction tree from its
// policy: the
// township must be one of the county's, the village one of the township's,
// the grid one of the village's. An empty tree (a county without a policy)
// checks nothing beyond the code formats Validate checks.
func CheckPlace(p PlaceInput, tree []policy.Township) error {
	if len(tree) == 0 || p.TownshipCode == "" {
		return nil
	}
	e := &ValidationError{}
	town, ok := findTownship(tree, p.TownshipCode)
	switch {
	case !ok:
		e.add("#/place/township_code", "is not a township or street of the county")
	case p.VillageCode != "":
		village, ok := findVillage(town, p.VillageCode)
		if !ok {
			e.add("#/place/village_code", "is not a village or community of township %s", town.ID)
		} else if p.Grid != "" && len(village.Grids) > 0 && !hasGrid(village, p.Grid) {
			e.add("#/place/grid", "is not a grid of village %s", village.ID)
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// findTownship and findVillage match the division code intake records
// (9 and 12 digits) against the tree's codes, or its IDs.
func findTownship(tree []policy.Township, code string) (policy.Township, bool) {
	p := policy.CountyPolicy{Jurisdiction: tree}
	return p.Township(code)
}

func findVillage(t policy.Township, code string) (policy.Village, bool) {
	return t.Village(code)
}

func hasGrid(v policy.Village, id string) bool {
	for _, g := range v.Grids {
		if g.ID == id {
			return true
		}
	}
	return false
}
