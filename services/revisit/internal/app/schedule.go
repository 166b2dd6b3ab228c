package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// NoteSlip remembers which police station follows the round, on the
// round's first revisit and on any already planned after it.
func (a *App) NoteSlip(ctx context.Context, eventID string, r events.ReferralIssued) error {
	first := revisit.RevisitID(r.DisputeID, r.Round)
	err := a.apply(ctx, eventID, first, func(ch *docstore.Change[revisit.Revisit]) error {
		ch.State.FollowedBy(r.DisputeID, r.CountyCode, r.Round, r.From)
		return nil
	})
	if err != nil {
		return err
	}
	return a.shareStation(ctx, eventID, r.DisputeID, r.Round, r.From, first)
}

// shareStation gives every revisit of a round that lacks it the station
// following the case. The slip and the settlement arrive through different
// consumer groups, so each handler, after its own writes, records in the
// round what it knows — the station, the revisits it wrote — and hands the
// station to the round's revisits: whichever runs second sees the other's
// record, so no extra revisit is left without its station.
func (a *App) shareStation(ctx context.Context, eventID, disputeID string, round int, police events.Agency, written ...string) error {
	if a.Rounds == nil {
		return nil
	}
	r, err := a.joinRound(ctx, disputeID, round, police, written...)
	if err != nil || r.Police.ID == "" {
		return err
	}
	for _, id := range r.Revisits {
		// Its own idempotency key: the settlement's event ID is already
		// recorded on the revisits it created.
		_, err := a.Revisits.Update(ctx, id, docstore.Options{EventID: eventID + "/station"}, func(ch *docstore.Change[revisit.Revisit]) error {
			if !ch.State.LearnStation(r.Police) {
				return docstore.ErrNoChange
			}
			return nil
		})
		if err != nil && !errors.Is(err, docstore.ErrDuplicate) && !errors.Is(err, docstore.ErrNotFound) {
			return fmt.Errorf("while giving revisit %s its station: %w", id, err)
		}
	}
	return nil
}

// ScheduleOnSettlement schedules every revisit a resolved mediation calls
// for under the county's rules at this moment: the first and the extras of
// a rebound-prone category. Each is its own document, written idempotently
// on the event ID, so a redelivery completes a plan a crash interrupted.
func (a *App) ScheduleOnSettlement(ctx context.Context, eventID string, s revisit.Settlement) error {
	rules := a.rules(s.CountyCode)
	var police events.Agency // the station, known once the slip was seen
	if first, err := a.Revisits.Get(ctx, revisit.RevisitID(s.DisputeID, s.Round)); err == nil {
		police = first.Police
	}
	plan := revisit.Plan(s, rules)
	for _, p := range plan {
		err := a.apply(ctx, eventID, p.ID, func(ch *docstore.Change[revisit.Revisit]) error {
			if err := ch.State.Schedule(s, p, rules, a.Now()); errors.Is(err, revisit.ErrScheduled) {
				return docstore.ErrNoChange
			}
			ch.State.LearnStation(police)
			police = ch.State.Police
			return ch.EmitEvents(ctx, a.Source, a.Now(), ch.State.Scheduled())
		})
		if err != nil {
			return fmt.Errorf("while scheduling revisit %s: %w", p.ID, err)
		}
	}
	first, err := a.Revisits.Get(ctx, revisit.RevisitID(s.DisputeID, s.Round))
	if err != nil {
		return fmt.Errorf("while re-reading the first revisit of %s: %w", s.DisputeID, err)
	}
	return a.shareStation(ctx, eventID, s.DisputeID, s.Round, first.Police, revisitIDs(plan)...)
}

// FollowUpOnPartialSettlement schedules a follow-up of a revisit that found
// the dispute only partially settled, FollowUpAfter later.
func (a *App) FollowUpOnPartialSettlement(ctx context.Context, eventID string, c events.RevisitCompleted) error {
	if c.Outcome != events.RevisitPartial {
		return nil
	}
	from, err := a.Revisits.Get(ctx, c.RevisitID)
	if err != nil {
		return fmt.Errorf("while loading the partially settled revisit %s: %w", c.RevisitID, err)
	}
	rules := a.rules(c.CountyCode)
	due := c.CompletedAt.Add(rules.FollowUpAfter)
	return a.apply(ctx, eventID, revisit.FollowUpID(c.RevisitID), func(ch *docstore.Change[revisit.Revisit]) error {
		if err := ch.State.Another(from, revisit.FollowUpID(c.RevisitID), events.RevisitFollowUp, due, rules, a.Now()); err != nil {
			return docstore.ErrNoChange
		}
		return ch.EmitEvents(ctx, a.Source, a.Now(), ch.State.Scheduled())
	})
}

// ScheduleUnscheduled adds an unscheduled revisit (不定期回访) to a settled
// round of a dispute of the caller's county, at any time, due at due (now
// when zero).
func (a *App) ScheduleUnscheduled(ctx context.Context, caller identity.Caller, disputeID string, round int, due time.Time) (revisit.Revisit, error) {
	if !caller.Can(identity.RoleJurisdiction, identity.RoleOfficer, identity.RoleCommittee) {
		return revisit.Revisit{}, fmt.Errorf("%w: role %s cannot schedule a revisit", problem.ErrForbidden, caller.Role)
	}
	first, err := a.Revisit(ctx, caller.County, revisit.RevisitID(disputeID, round))
	if err != nil {
		return revisit.Revisit{}, err
	}
	if first.Status == revisit.StatusAwaiting {
		return revisit.Revisit{}, revisit.ErrNotSettled
	}
	now, rules := a.Now(), a.rules(caller.County)
	if due.IsZero() {
		due = now
	}
	id := revisit.UnscheduledID(disputeID, round, now)
	return a.Revisits.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[revisit.Revisit]) error {
		if err := ch.State.Another(first, id, events.RevisitUnscheduled, due, rules, now); err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, a.Now(), ch.State.Scheduled())
	})
}
