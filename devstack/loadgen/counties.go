package loadgen

import (
	"fmt"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/localpolicy"
)

// County is what the generator needs of one county to write disputes the
// platform accepts: the places of its jurisdiction tree and the police
// stations that record them.
type County struct {
	Code     string
	Places   []Place
	Stations []string // agency IDs of its police stations
	// CategoriesVersion is the version of the county's own category
	// levels, "" when it has none: until intake serves a taxonomy of that
	// version, it has not yet read the county's policy, and subcategories
	// picked from what it serves would be refused.
	CategoriesVersion string
}

// Place is a township code and, when the township lists any, a village code
// within it.
type Place struct {
	TownshipCode string `json:"township_code"`
	VillageCode  string `json:"village_code,omitempty"`
}

// LoadCounties reads the counties from a folder of MediationCenter YAML,
// through the same validation `make run` publishes them with, so the
// generator's places are the ones the platform checks against.
func LoadCounties(dir string) ([]County, error) {
	centers, err := localpolicy.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot load counties from %s: %w", dir, err)
	}
	counties := make([]County, 0, len(centers))
	for _, mc := range centers {
		c := countyOf(mc.Spec)
		if len(c.Places) == 0 || len(c.Stations) == 0 {
			return nil, fmt.Errorf("county %s has no coded township or no police station to record disputes with", c.Code)
		}
		counties = append(counties, c)
	}
	if len(counties) == 0 {
		return nil, fmt.Errorf("no county in %s", dir)
	}
	return counties, nil
}

func countyOf(spec v1alpha1.MediationCenterSpec) County {
	c := County{Code: spec.County.Code}
	if spec.Categories != nil {
		c.CategoriesVersion = spec.Categories.Version
	}
	for _, t := range spec.Jurisdiction {
		if t.Code == "" {
			continue // a township without a division code cannot be named in a dispute
		}
		c.Places = append(c.Places, Place{TownshipCode: t.Code})
		for _, v := range t.Villages {
			if v.Code != "" {
				c.Places = append(c.Places, Place{TownshipCode: t.Code, VillageCode: v.Code})
			}
		}
	}
	for _, a := range spec.Agencies {
		if a.Kind == "police_station" {
			c.Stations = append(c.Stations, string(a.ID))
		}
	}
	return c
}
