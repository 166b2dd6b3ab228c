// Package app holds the mediation room's use cases.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Mediations is the mediation repository; *docstore.Collection satisfies it.
type Mediations interface {
	GetVisible(ctx context.Context, id string, visible func(mediation.Mediation) bool) (mediation.Mediation, error)
	Find(ctx context.Context, filter bson.D) ([]mediation.Mediation, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[mediation.Mediation]) error) (mediation.Mediation, error)
}

// ErrForbidden: the caller's role may not record outcomes.
var ErrForbidden = errors.New("forbidden")

// App bundles the use cases.
type App struct {
	Mediations Mediations
	Now        func() time.Time
	Source     string
}

// OpenOnReferral opens the mediation of a referred round; eventID makes a
// redelivery a no-op.
func (a *App) OpenOnReferral(ctx context.Context, eventID string, r mediation.Referral) error {
	now := a.Now()
	_, err := a.Mediations.Update(ctx, mediation.MediationID(r.DisputeID, r.Round), docstore.Options{Create: true, EventID: eventID},
		func(ch *docstore.Change[mediation.Mediation]) error {
			if ch.Exists {
				return docstore.ErrNoChange
			}
			m := mediation.Open(r, now)
			e, err := outbox.New(ctx, a.Source, m.Opened(), now)
			if err != nil {
				return err
			}
			ch.State = m
			ch.Emit(e)
			return nil
		})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}

// RecordOutcome closes a mediation of the caller's county.
func (a *App) RecordOutcome(ctx context.Context, caller identity.Caller, id string, o mediation.Outcome) (mediation.Mediation, error) {
	if !caller.Can(identity.RoleMediator, identity.RoleJurisdiction, identity.RoleOfficer) {
		return mediation.Mediation{}, fmt.Errorf("%w: role %s cannot record a mediation outcome", ErrForbidden, caller.Role)
	}
	if err := o.Validate(); err != nil {
		return mediation.Mediation{}, err
	}
	if _, err := a.Mediation(ctx, caller.County, id); err != nil {
		return mediation.Mediation{}, err
	}
	return a.Mediations.Update(ctx, id, docstore.Options{}, func(ch *docstore.Change[mediation.Mediation]) error {
		ev, err := ch.State.Close(o, caller.Officer+"@"+caller.Agency, a.Now())
		if err != nil {
			return err
		}
		e, err := outbox.New(ctx, a.Source, ev, a.Now())
		if err != nil {
			return err
		}
		ch.Emit(e)
		return nil
	})
}

// Mediation returns a mediation of the caller's county.
func (a *App) Mediation(ctx context.Context, county, id string) (mediation.Mediation, error) {
	return a.Mediations.GetVisible(ctx, id, func(m mediation.Mediation) bool { return m.CountyCode == county })
}

// MediationsOf lists a dispute's mediations in the caller's county.
func (a *App) MediationsOf(ctx context.Context, county, disputeID string) ([]mediation.Mediation, error) {
	return a.Mediations.Find(ctx, bson.D{{Key: "dispute_id", Value: disputeID}, {Key: "county_code", Value: county}})
}
