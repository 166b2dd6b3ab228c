package referral

import (
	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Router decides who receives the supervision and the jurisdiction copies
// ("谁主管谁负责": category and place decide the responsible unit).
type Router interface {
	// Committee is the county's political-legal committee.
	Committee(county string) events.Agency
	// Jurisdiction is the unit responsible for a dispute, skipping the units
	// in exclude (those that returned the copy); false when none is left.
	Jurisdiction(category events.Category, place events.Place, exclude []string) (events.Agency, bool)
	// CountyCentre is the county governance centre, which owns a copy no
	// one else would take (兜底).
	CountyCentre(county string) events.Agency
}

// DefaultRouter routes without a county policy: the committee of the county,
// and the governance centre of the township (or of the county when the
// township is unknown).
type DefaultRouter struct{}

// Committee implements Router.
func (DefaultRouter) Committee(county string) events.Agency {
	return events.Agency{Kind: events.AgencyCommittee, ID: "plc-" + county}
}

// Jurisdiction implements Router.
func (r DefaultRouter) Jurisdiction(_ events.Category, p events.Place, exclude []string) (events.Agency, bool) {
	a := r.streetCentre(p)
	return a, !excluded(a.ID, exclude)
}

// CountyCentre implements Router.
func (DefaultRouter) CountyCentre(county string) events.Agency {
	return events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-" + county}
}

func (DefaultRouter) streetCentre(p events.Place) events.Agency {
	unit := p.TownshipCode
	if unit == "" {
		unit = p.CountyCode
	}
	return events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-" + unit}
}

// PolicyRouter routes by the county's published routing rules (its
// MediationCenter policy), read at the moment of each decision; a county
// without a policy, or a dispute no rule covers, falls back to Fallback.
type PolicyRouter struct {
	Policy   func(county string) (*policy.CountyPolicy, bool)
	Fallback DefaultRouter
}

// Committee implements Router: the county's political-legal committee.
func (r PolicyRouter) Committee(county string) events.Agency {
	if a, ok := r.countyAgency(county, policy.PoliticalLegalCommittee); ok {
		return a
	}
	return r.Fallback.Committee(county)
}

// Jurisdiction implements Router: the rule for the category in the township,
// then the county-wide rule, then the rules for "other"
// (policy.CountyPolicy.Route), then the township's governance centre.
func (r PolicyRouter) Jurisdiction(c events.Category, p events.Place, exclude []string) (events.Agency, bool) {
	if pol, ok := r.Policy(p.CountyCode); ok && pol != nil {
		// Rules name townships by their ID in the tree; the place carries
		// the division code.
		township := p.TownshipCode
		if t, ok := pol.Township(township); ok {
			township = t.ID
		}
		for _, township := range []string{township, ""} {
			if a, ok := pol.Route(policy.Category(c), township); ok && !excluded(a.ID, exclude) {
				return agencyOf(a), true
			}
		}
	}
	return r.Fallback.Jurisdiction(c, p, exclude)
}

// CountyCentre implements Router: the policy's county-level governance
// centre, or the default one.
func (r PolicyRouter) CountyCentre(county string) events.Agency {
	if a, ok := r.countyAgency(county, policy.GovernanceCentre); ok {
		return a
	}
	return r.Fallback.CountyCentre(county)
}

func (r PolicyRouter) countyAgency(county string, kind policy.AgencyKind) (events.Agency, bool) {
	pol, ok := r.Policy(county)
	if !ok || pol == nil {
		return events.Agency{}, false
	}
	for _, a := range pol.Agencies {
		if a.Kind == kind && a.Township == "" {
			return agencyOf(a), true
		}
	}
	return events.Agency{}, false
}

// agencyOf maps a policy agency onto the event vocabulary, whose agency kinds
// are fewer: a mediation committee receives as a mediation room, the 110
// command centre as a police station, the inspectorate as the committee.
func agencyOf(a policy.Agency) events.Agency {
	kind := events.AgencyKind(a.Kind)
	switch a.Kind {
	case policy.MediationCommittee:
		kind = events.AgencyMediationRoom
	case policy.CommandCentre:
		kind = events.AgencyPoliceStation
	case policy.Inspectorate:
		kind = events.AgencyCommittee
	}
	return events.Agency{Kind: kind, ID: a.ID, Name: a.Name}
}

func excluded(id string, exclude []string) bool {
	for _, x := range exclude {
		if x == id {
			return true
		}
	}
	return false
}
