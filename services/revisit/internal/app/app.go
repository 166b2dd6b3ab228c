// Package app holds the revisit service's use cases.
package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// Revisits is the revisit repository; *docstore.Collection satisfies it.
type Revisits interface {
	GetVisible(ctx context.Context, id string, visible func(revisit.Revisit) bool) (revisit.Revisit, error)
	Find(ctx context.Context, filter bson.D) ([]revisit.Revisit, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[revisit.Revisit]) error) (revisit.Revisit, error)
}

// ErrForbidden: the caller's role may not record revisits.
var ErrForbidden = errors.New("forbidden")

// App bundles the use cases.
type App struct {
	Revisits Revisits
	Now      func() time.Time
	Source   string
}

// apply runs an event's effect on the round's revisit document, creating it
// if needed, idempotently on eventID.
func (a *App) apply(ctx context.Context, eventID, id string, decide func(*docstore.Change[revisit.Revisit]) error) error {
	_, err := a.Revisits.Update(ctx, id, docstore.Options{Create: true, EventID: eventID}, decide)
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}

// NoteSlip remembers which police station follows the round.
func (a *App) NoteSlip(ctx context.Context, eventID string, r events.ReferralIssued) error {
	return a.apply(ctx, eventID, revisit.RevisitID(r.DisputeID, r.Round), func(ch *docstore.Change[revisit.Revisit]) error {
		ch.State.FollowedBy(r.DisputeID, r.CountyCode, r.Round, r.From)
		return nil
	})
}

// ScheduleOnSettlement schedules the revisit of a resolved mediation.
func (a *App) ScheduleOnSettlement(ctx context.Context, eventID string, s revisit.Settlement) error {
	return a.apply(ctx, eventID, revisit.RevisitID(s.DisputeID, s.Round), func(ch *docstore.Change[revisit.Revisit]) error {
		if err := ch.State.Schedule(s, a.Now()); errors.Is(err, revisit.ErrScheduled) {
			return docstore.ErrNoChange
		}
		e, err := outbox.New(ctx, a.Source, ch.State.Scheduled(), a.Now())
		if err != nil {
			return err
		}
		ch.Emit(e)
		return nil
	})
}

// RecordResult records a revisit of the caller's county.
func (a *App) RecordResult(ctx context.Context, caller identity.Caller, id string, res revisit.Result) (revisit.Revisit, error) {
	if !caller.Can(identity.RoleJurisdiction, identity.RoleOfficer, identity.RoleMediator) {
		return revisit.Revisit{}, fmt.Errorf("%w: role %s cannot record a revisit", ErrForbidden, caller.Role)
	}
	if err := res.Validate(); err != nil {
		return revisit.Revisit{}, err
	}
	if _, err := a.Revisit(ctx, caller.County, id); err != nil {
		return revisit.Revisit{}, err
	}
	return a.Revisits.Update(ctx, id, docstore.Options{}, func(ch *docstore.Change[revisit.Revisit]) error {
		done, err := ch.State.Complete(res, caller.Officer+"@"+caller.Agency, a.Now())
		if err != nil {
			return err
		}
		e, err := outbox.New(ctx, a.Source, done, a.Now())
		if err != nil {
			return err
		}
		ch.Emit(e)
		return nil
	})
}

// Revisit returns a revisit of the caller's county.
func (a *App) Revisit(ctx context.Context, county, id string) (revisit.Revisit, error) {
	return a.Revisits.GetVisible(ctx, id, func(r revisit.Revisit) bool { return r.CountyCode == county })
}

// RevisitsOf lists a dispute's revisits in the caller's county.
func (a *App) RevisitsOf(ctx context.Context, county, disputeID string) ([]revisit.Revisit, error) {
	return a.Revisits.Find(ctx, bson.D{{Key: "dispute_id", Value: disputeID}, {Key: "county_code", Value: county}})
}

// Due lists the county's scheduled revisits, the earliest due first.
func (a *App) Due(ctx context.Context, county string) ([]revisit.Revisit, error) {
	due, err := a.Revisits.Find(ctx, bson.D{{Key: "county_code", Value: county}, {Key: "status", Value: revisit.StatusScheduled}})
	slices.SortStableFunc(due, func(x, y revisit.Revisit) int { return x.DueBy.Compare(y.DueBy) })
	return due, err
}
