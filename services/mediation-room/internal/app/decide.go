package app

import (
	"context"
	"slices"
	"sync"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/roster"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// place is what a decision context needs to know of a case.
type place struct {
	County, Township, Skip string
	Category               events.Category
	Risk                   events.RiskLevel
}

func placeOf(m mediation.Mediation) place {
	return place{County: m.CountyCode, Township: m.Township, Skip: m.ID, Category: m.Category, Risk: m.RiskLevel}
}

// decisionContext reads the county's policy and builds the Context the
// aggregate decides in. The mediators' loads are read only if the decision
// matches a team (most sweeps do not): check loads.err after deciding.
func (a *App) decisionContext(ctx context.Context, pl place) (mediation.Context, *lazyStats) {
	p := a.policy(pl.County)
	r := roster.FromPolicy(pl.County, p)
	loads := &lazyStats{load: func() (map[string]matching.Stats, error) { return a.stats(ctx, pl.County, pl.Skip, r.Members) }}
	now, risk := a.Now(), policy.RiskLevel(pl.Risk)
	return mediation.Context{
		Now: now, Tier: tiers.RuleFor(p, risk), Meeting: jointmeeting.RuleFor(p, risk),
		RoomFor: func(t policy.Tier) roster.Room { return r.RoomFor(t, pl.Township, pl.County) },
		Match: func(t policy.Tier, excluded map[string]string, preferred []string) matching.Team {
			return matching.Assemble(matching.Request{Category: policy.Category(pl.Category), Tier: t, Township: pl.Township, Now: now,
				Members: r.Members, Stats: loads.get(), Excluded: excluded, Preferred: preferred})
		},
		Committee:      agencyOf(p, policy.PoliticalLegalCommittee, "", events.AgencyCommittee, "plc-"+pl.County),
		Court:          agencyOf(p, policy.Court, "", events.AgencyCourt, "court-"+pl.County),
		JudicialOffice: agencyOf(p, policy.JudicialOffice, pl.Township, events.AgencyJudicialOffice, "jo-"+orCounty(pl.Township, pl.County)),
	}, loads
}

// lazyStats reads the mediators' loads once, on first use.
type lazyStats struct {
	once  sync.Once
	load  func() (map[string]matching.Stats, error)
	stats map[string]matching.Stats
	err   error
}

func (l *lazyStats) get() map[string]matching.Stats {
	l.once.Do(func() { l.stats, l.err = l.load() })
	return l.stats
}

// agencyOf finds the county's agency of a kind — the township's own first —
// or names the default one.
func agencyOf(p *policy.CountyPolicy, kind policy.AgencyKind, township string, ev events.AgencyKind, fallback string) events.Agency {
	if p != nil {
		var wide *policy.Agency
		for i, ag := range p.Agencies {
			switch {
			case ag.Kind != kind:
			case township != "" && roster.DivisionCode(p, ag.Township) == township:
				return events.Agency{Kind: ev, ID: ag.ID, Name: ag.Name}
			case wide == nil:
				wide = &p.Agencies[i]
			}
		}
		if wide != nil {
			return events.Agency{Kind: ev, ID: wide.ID, Name: wide.Name}
		}
	}
	return events.Agency{Kind: ev, ID: fallback}
}

func orCounty(township, county string) string {
	if township != "" {
		return township
	}
	return county
}

// stats reads the loads and records of the roster's mediators in the
// county, for load balance and success rates. skip leaves out the case
// being decided, so its own team does not count against itself.
func (a *App) stats(ctx context.Context, county, skip string, members []roster.Member) (map[string]matching.Stats, error) {
	if a.Loads == nil {
		return map[string]matching.Stats{}, nil
	}
	ids := make([]string, 0, len(members))
	for _, m := range members {
		if !slices.Contains(ids, m.ID) {
			ids = append(ids, m.ID)
		}
	}
	return a.loadsOf(ctx, county, skip, ids)
}
