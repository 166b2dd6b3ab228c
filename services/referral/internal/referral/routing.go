package referral

import "fengqiao.dev/api/events"

// Router decides who receives the supervision and the jurisdiction copies
// ("谁主管谁负责": category and place decide the responsible unit).
type Router interface {
	Committee(county string) events.Agency
	Jurisdiction(category events.Category, place events.Place) events.Agency
}

// DefaultRouter routes without a county policy: the committee of the county,
// and the governance centre of the township (or of the county when the
// township is unknown). Issue 3's MediationCenter policy replaces it with the
// county's routing rules.
type DefaultRouter struct{}

// Committee implements Router.
func (DefaultRouter) Committee(county string) events.Agency {
	return events.Agency{Kind: events.AgencyCommittee, ID: "plc-" + county}
}

// Jurisdiction implements Router.
func (DefaultRouter) Jurisdiction(_ events.Category, p events.Place) events.Agency {
	unit := p.TownshipCode
	if unit == "" {
		unit = p.CountyCode
	}
	return events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-" + unit}
}
