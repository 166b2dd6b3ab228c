package app

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/referral/internal/referral"
)

// RaiseRisk moves the deadlines of a round's slip to a risk raised after it
// was issued, on the county's terms for the new level. A slip not issued
// (yet) has nothing to move: the registration and the raise come in order on
// the disputes topic, so a slip the raise finds missing was never issued
// (a redirected report). eventID makes a redelivery a no-op.
func (a *App) RaiseRisk(ctx context.Context, eventID, disputeID string, round int, to events.RiskLevel) error {
	id := referral.SlipID(disputeID, round)
	s, err := a.Slips.Get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	terms := a.terms(s.CountyCode, to)
	now := a.Now()
	_, err = a.Slips.Update(ctx, id, docstore.Options{EventID: eventID}, func(ch *docstore.Change[referral.Slip]) error {
		if !ch.State.RaiseRisk(to, terms, now) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}
