package app

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/referral/internal/referral"
)

// ReturnCopy records that the caller's unit returned the jurisdiction copy
// (退单) with a reason: in one write, the returned event and the copy
// re-issued to its new recipient on the county's jurisdiction topic.
func (a *App) ReturnCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy, reason string) (referral.Slip, error) {
	if err := mayHandle(caller, cp); err != nil {
		return referral.Slip{}, err
	}
	s, err := a.Slip(ctx, caller.County, slipID)
	if err != nil {
		return referral.Slip{}, err
	}
	terms := a.terms(s.CountyCode, s.RiskLevel)
	return a.Slips.Update(ctx, slipID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		now := a.Now()
		by := events.Agency{Kind: events.AgencyGovernanceCentre, ID: caller.Agency}
		returned, err := ch.State.Return(cp, by, caller.Officer, reason, a.Router, terms, now)
		if err != nil {
			return err
		}
		if err := ch.EmitEvents(ctx, a.Source, now, returned); err != nil {
			return err
		}
		reissued, err := outbox.NewOn(ctx, events.CountyCopyTopic(s.CountyCode, cp), a.Source, ch.State.CopyIssued(cp), now)
		if err != nil {
			return err
		}
		ch.Emit(reissued)
		return nil
	})
}
