// Package app holds the referral service's use cases.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/referral/internal/referral"
)

// Slips is the slip repository; *docstore.Collection satisfies it.
type Slips interface {
	Get(ctx context.Context, id string) (referral.Slip, error)
	Find(ctx context.Context, filter bson.D) ([]referral.Slip, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[referral.Slip]) error) (referral.Slip, error)
}

// Errors the ports map to HTTP statuses.
var (
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
)

// App bundles the use cases.
type App struct {
	Slips  Slips
	Router referral.Router
	Now    func() time.Time
	Source string
}

// IssueSlip issues the slip of a registered or reopened dispute: the slip,
// the internal "referral issued" event and the three county copies are one
// write. eventID makes a redelivery a no-op.
func (a *App) IssueSlip(ctx context.Context, eventID string, c referral.Case) error {
	now := a.Now()
	_, err := a.Slips.Update(ctx, referral.SlipID(c.DisputeID, c.Round), docstore.Options{Create: true, EventID: eventID},
		func(ch *docstore.Change[referral.Slip]) error {
			if ch.Exists {
				return docstore.ErrNoChange // this round's slip exists already
			}
			slip := referral.Issue(c, a.Router, now)
			entries := make([]outbox.Entry, 0, 4)
			e, err := outbox.New(ctx, a.Source, slip.Issued(), now)
			if err != nil {
				return err
			}
			entries = append(entries, e)
			for _, cs := range slip.Copies {
				e, err := outbox.NewOn(ctx, cs.Topic, a.Source, slip.CopyIssued(cs.Copy), now)
				if err != nil {
					return err
				}
				entries = append(entries, e)
			}
			ch.State = slip
			ch.Emit(entries...)
			return nil
		})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}

// copyRoles says which role signs for which copy.
var copyRoles = map[events.Copy][]identity.Role{
	events.CopyCommittee:    {identity.RoleCommittee},
	events.CopyJurisdiction: {identity.RoleJurisdiction},
	events.CopyPolice:       {identity.RoleOfficer},
}

// AcceptCopy records that the caller's unit signed for its copy.
func (a *App) AcceptCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy) (referral.Slip, error) {
	roles, ok := copyRoles[cp]
	if !ok {
		return referral.Slip{}, referral.ErrUnknownCopy
	}
	if !caller.Can(roles...) {
		return referral.Slip{}, fmt.Errorf("%w: the %s copy is signed for by %v, not %s", ErrForbidden, cp, roles, caller.Role)
	}
	if _, err := a.Slip(ctx, caller.County, slipID); err != nil {
		return referral.Slip{}, err
	}
	return a.Slips.Update(ctx, slipID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		accepted, err := ch.State.Accept(cp, caller.Officer+"@"+caller.Agency, a.Now())
		if err != nil {
			return err
		}
		e, err := outbox.New(ctx, a.Source, accepted, a.Now())
		if err != nil {
			return err
		}
		ch.Emit(e)
		return nil
	})
}

// Slip returns a slip of the caller's county.
func (a *App) Slip(ctx context.Context, county, id string) (referral.Slip, error) {
	s, err := a.Slips.Get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) || (err == nil && s.CountyCode != county) {
		return referral.Slip{}, ErrNotFound
	}
	return s, err
}

// SlipsOf lists the slips of a dispute of the caller's county, by round.
func (a *App) SlipsOf(ctx context.Context, county, disputeID string) ([]referral.Slip, error) {
	return a.Slips.Find(ctx, bson.D{{Key: "dispute_id", Value: disputeID}, {Key: "county_code", Value: county}})
}
