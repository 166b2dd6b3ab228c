package app

import (
	"context"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/matching"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// Proposals is the "点单式" menu of a mediation: for every seat of its tier,
// the eligible mediators ranked with the reasons, and the team matching
// would seat now.
type Proposals struct {
	Tier  int
	Seats map[string][]matching.Proposal
	Team  matching.Team
}

// Proposals lists the mediators a mediation of the caller's county could
// have, ranked, with the reasons.
func (a *App) Proposals(ctx context.Context, county, id string) (Proposals, error) {
	m, err := a.Mediation(ctx, county, id)
	if err != nil {
		return Proposals{}, err
	}
	members := roster.FromPolicy(county, a.policy(county)).Members
	stats, err := a.stats(ctx, county, m.ID, members)
	if err != nil {
		return Proposals{}, err
	}
	req := matching.Request{Category: policy.Category(m.Category), Tier: policy.Tier(m.Tier), Township: m.Township, Now: a.Now(),
		Members: members, Stats: stats, Excluded: m.Excluded(), Preferred: m.Preferred}
	out := Proposals{Tier: m.Tier, Seats: map[string][]matching.Proposal{}, Team: matching.Assemble(req)}
	for _, seat := range matching.SeatsFor(req.Tier) {
		out.Seats[seat.Name] = matching.Propose(req, seat.Roles...)
	}
	return out, nil
}

// Roster is a county's rooms and mediators, and who is on duty now.
type Roster struct {
	roster.Roster
	OnDutyNow []string
}

// Roster returns the caller's county's roster.
func (a *App) Roster(county string) Roster {
	r := roster.FromPolicy(county, a.policy(county))
	out := Roster{Roster: r, OnDutyNow: []string{}}
	for _, m := range r.OnDuty(a.Now()) {
		out.OnDutyNow = append(out.OnDutyNow, m.ID)
	}
	return out
}

// AgreementText returns the rendered agreement of a resolved mediation.
func (a *App) AgreementText(ctx context.Context, county, id string) (string, error) {
	m, err := a.Mediation(ctx, county, id)
	if err != nil {
		return "", err
	}
	if m.Settlement == nil {
		return "", mediation.ErrNotResolved
	}
	return m.Settlement.Text, nil
}
