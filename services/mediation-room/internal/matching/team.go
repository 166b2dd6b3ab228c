package matching

import (
	"fmt"

	"fengqiao.dev/api/policy"
)

// Seat is one place at the table of a tier, and the roles that can fill it.
type Seat struct {
	Name     string
	Roles    []policy.MediatorRole
	Optional bool
}

// The seats of a joint session (三所联调, Qingdao): police, the judicial
// office's mediator, a lawyer.
const (
	SeatLead       = "lead"
	SeatPolice     = "police"
	SeatMediator   = "judicial_mediator"
	SeatLawyer     = "lawyer"
	SeatSpecialist = "specialist"
)

// SeatsFor returns the seats of a tier. Tier 3 is one village peacemaker;
// tier 2 is the station's 三所联调 room; tier 1 adds a specialist
// (psychologist or industry expert) where one is free.
func SeatsFor(t policy.Tier) []Seat {
	mediators := []policy.MediatorRole{policy.RolePeopleMediator, policy.RoleJudicialAssistant}
	switch t {
	case policy.TierVillage:
		return []Seat{{Name: SeatLead, Roles: []policy.MediatorRole{policy.RolePeacemaker, policy.RolePeopleMediator}}}
	case policy.TierStation:
		return []Seat{{Name: SeatMediator, Roles: mediators}, {Name: SeatPolice, Roles: []policy.MediatorRole{policy.RolePoliceOfficer}},
			{Name: SeatLawyer, Roles: []policy.MediatorRole{policy.RoleLawyer}}}
	}
	return []Seat{{Name: SeatMediator, Roles: append(mediators, policy.RoleJudge)},
		{Name: SeatLawyer, Roles: []policy.MediatorRole{policy.RoleLawyer}},
		{Name: SeatPolice, Roles: []policy.MediatorRole{policy.RolePoliceOfficer}, Optional: true},
		{Name: SeatSpecialist, Roles: []policy.MediatorRole{policy.RolePsychologist, policy.RoleExpert}, Optional: true}}
}

// Pick is a proposal seated at the table.
type Pick struct {
	Seat string
	Proposal
}

// Team is the outcome of matching: the seated mediators, the seats nobody
// could fill, and what became of a party's preference.
type Team struct {
	Picks []Pick
	Gaps  []string
	Notes []string
}

// Assemble seats the best free mediator in every seat of the request's
// tier, each mediator at most once.
func Assemble(req Request) Team {
	var team Team
	seated := map[string]bool{}
	for _, seat := range SeatsFor(req.Tier) {
		pick, ok := best(Propose(req, seat.Roles...), seated)
		switch {
		case ok:
			seated[pick.MediatorID] = true
			team.Picks = append(team.Picks, Pick{Seat: seat.Name, Proposal: pick})
		case !seat.Optional:
			team.Gaps = append(team.Gaps, fmt.Sprintf("no %s free at tier %d", seat.Name, req.Tier))
		}
	}
	team.Notes = preferenceNotes(req, seated)
	return team
}

func best(ps []Proposal, seated map[string]bool) (Proposal, bool) {
	for _, p := range ps {
		if !seated[p.MediatorID] {
			return p, true
		}
	}
	return Proposal{}, false
}

// preferenceNotes says why a preferred mediator is not on the team, so the
// party hears the reason rather than silence.
func preferenceNotes(req Request, seated map[string]bool) []string {
	var notes []string
	for _, id := range req.Preferred {
		if seated[id] {
			continue
		}
		why := "not on the county's roster"
		for _, m := range req.Members {
			if m.ID == id {
				why = Unavailable(req, m)
				if why == "" {
					why = "another preferred mediator took the seat for role " + string(m.Role)
				}
			}
		}
		notes = append(notes, fmt.Sprintf("preferred mediator %s not seated: %s", id, why))
	}
	return notes
}
