package ports

// A mediation's proposals (点单式) as GET …/proposals shows them, separate
// from the matching's types for the reason mediation_view.go gives;
// testdata/proposals*.json records it.

import (
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/matching"
)

type proposalsView struct {
	Tier  int                       `json:"tier"`
	Seats map[string][]proposalView `json:"seats"`
	Team  teamView                  `json:"team"`
}

type proposalView struct {
	MediatorID string              `json:"mediator_id"`
	Agency     string              `json:"agency"`
	Role       policy.MediatorRole `json:"role"`
	Score      int                 `json:"score"`
	Load       int                 `json:"load"`
	Reasons    []string            `json:"reasons"`
}

// pickView is a proposal seated: the seat beside the proposal's fields.
type pickView struct {
	Seat string `json:"seat"`
	proposalView
}

type teamView struct {
	Picks []pickView `json:"picks"`
	Gaps  []string   `json:"gaps,omitempty"`
	Notes []string   `json:"notes,omitempty"`
}

func proposalsViewOf(p app.Proposals) proposalsView {
	var seats map[string][]proposalView
	if p.Seats != nil {
		seats = make(map[string][]proposalView, len(p.Seats))
		for name, ps := range p.Seats {
			seats[name] = mapping.Slice(ps, proposalViewOf)
		}
	}
	return proposalsView{Tier: p.Tier, Seats: seats, Team: teamView{Picks: mapping.Slice(p.Team.Picks, pickViewOf), Gaps: p.Team.Gaps, Notes: p.Team.Notes}}
}

func proposalViewOf(p matching.Proposal) proposalView {
	return proposalView{MediatorID: p.MediatorID, Agency: p.Agency, Role: p.Role, Score: p.Score, Load: p.Load, Reasons: p.Reasons}
}

func pickViewOf(p matching.Pick) pickView {
	return pickView{Seat: p.Seat, proposalView: proposalViewOf(p.Proposal)}
}
