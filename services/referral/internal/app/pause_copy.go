package app

import (
	"context"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral/internal/referral"
)

// PauseCopy stops the clock of the caller's unit's copy while it waits on a
// party: no warning or escalation until ResumeCopy, and the
// deadline moves by the time paused. The reason is kept on the slip.
func (a *App) PauseCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy, reason string) (referral.Slip, error) {
	return a.onHeldCopy(ctx, caller, slipID, cp, func(s *referral.Slip, terms referral.Terms) error {
		return s.PauseClock(cp, caller.Agency, caller.Officer, reason, terms, a.Now())
	})
}

// ResumeCopy restarts the clock of the caller's unit's paused copy.
func (a *App) ResumeCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy) (referral.Slip, error) {
	return a.onHeldCopy(ctx, caller, slipID, cp, func(s *referral.Slip, terms referral.Terms) error {
		return s.ResumeClock(cp, caller.Agency, terms, a.Now())
	})
}

// onHeldCopy applies change to a slip of the caller's county, on the terms
// of its county and risk, in one write.
func (a *App) onHeldCopy(ctx context.Context, caller identity.Caller, slipID string, cp events.Copy, change func(*referral.Slip, referral.Terms) error) (referral.Slip, error) {
	if err := mayHandle(caller, cp); err != nil {
		return referral.Slip{}, err
	}
	s, err := a.Slip(ctx, caller.County, slipID)
	if err != nil {
		return referral.Slip{}, err
	}
	terms := a.terms(s.CountyCode, s.RiskLevel)
	return a.Slips.Update(ctx, slipID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		return change(&ch.State, terms)
	})
}
