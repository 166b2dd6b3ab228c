package app

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
)

// Seated is who the mediation room seats on a dispute's mediation now: the
// team it last assigned, for the latest round. A mediator reads a
// dispute's personal data only while seated on it (pkg/access,
// assigned_to_me); intake learns the teams from the room's events.
type Seated struct {
	Round   int
	Members []SeatedMember
}

// SeatedMember is one mediator on the team, by unit and roster ID.
type SeatedMember struct {
	Agency     string
	MediatorID string
}

// Seatings holds each dispute's Seated by dispute ID; *docstore.Collection
// satisfies it.
type Seatings interface {
	Get(ctx context.Context, id string) (Seated, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[Seated]) error) (Seated, error)
}

// Assign takes the team an assignment of round seats, unless the record
// already holds a later round's: a new round's mediation replaces the old
// one's team, and an objection or a move to another tier replaces a
// round's team wholesale. It reports whether anything changed.
func (s *Seated) Assign(round int, team []events.TeamMember) bool {
	if round < s.Round {
		return false
	}
	members := make([]SeatedMember, 0, len(team))
	for _, m := range team {
		members = append(members, SeatedMember{Agency: m.Agency, MediatorID: m.MediatorID})
	}
	if round == s.Round && slices.Equal(members, s.Members) {
		return false
	}
	s.Round, s.Members = round, members
	return true
}

// Holds reports whether the mediator with the staff ID id, of the unit
// agency, is on the team.
func (s Seated) Holds(agency, id string) bool {
	return id != "" && slices.Contains(s.Members, SeatedMember{Agency: agency, MediatorID: id})
}

// FollowTeam records the team the mediation room assigned to a dispute's
// mediation; eventID makes a redelivery a no-op.
func (a *App) FollowTeam(ctx context.Context, eventID string, p events.MediatorsAssigned) error {
	if a.Seatings == nil {
		return nil
	}
	_, err := a.Seatings.Update(ctx, p.DisputeID, docstore.Options{Create: true, EventID: eventID}, func(ch *docstore.Change[Seated]) error {
		if !ch.State.Assign(p.Round, p.Team) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil && !errors.Is(err, docstore.ErrDuplicate) {
		return fmt.Errorf("while recording the team of mediation %s: %w", p.MediationID, err)
	}
	return nil
}

// SeatedOn reports whether the mediator with the staff ID id, of the unit
// agency, is on the team of the dispute's mediation now; false before the
// room has assigned one.
func (a *App) SeatedOn(ctx context.Context, disputeID, agency, id string) (bool, error) {
	if a.Seatings == nil {
		return false, nil
	}
	s, err := a.Seatings.Get(ctx, disputeID)
	switch {
	case errors.Is(err, docstore.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("cannot read the mediation team of dispute %s: %w", disputeID, err)
	}
	return s.Holds(agency, id), nil
}
