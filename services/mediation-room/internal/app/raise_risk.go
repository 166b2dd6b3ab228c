package app

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// RiskRaise is a dispute's risk raised by intake after registration.
type RiskRaise struct {
	DisputeID string
	Round     int
	To        events.RiskLevel
	Cause     string
}

// RaiseRisk applies a raised risk to the round's mediation, moving it up to
// the tier the county starts the new level at. A mediation not opened yet is
// left alone: it opens from the slip, whose risk the referral service has
// raised too. eventID makes a redelivery a no-op.
func (a *App) RaiseRisk(ctx context.Context, eventID string, r RiskRaise) error {
	id := mediation.MediationID(r.DisputeID, r.Round)
	m, err := a.Mediations.GetVisible(ctx, id, func(mediation.Mediation) bool { return true })
	if errors.Is(err, docstore.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	dc, loads := a.decisionContext(ctx, placeOf(m))
	start := tiers.StartTier(a.policy(m.CountyCode), policy.RiskLevel(r.To))
	var before mediation.Mediation
	after, err := a.Mediations.Update(ctx, id, docstore.Options{EventID: eventID}, func(ch *docstore.Change[mediation.Mediation]) error {
		before = teamAndStatus(ch.State)
		if ch.State.RiskLevel == r.To {
			return docstore.ErrNoChange
		}
		evs := ch.State.RaiseRisk(r.To, start, r.Cause, dc)
		if loads.err != nil {
			return loads.err
		}
		return emit(ctx, ch, a.Source, dc, evs...)
	})
	switch {
	case errors.Is(err, docstore.ErrDuplicate):
		return nil
	case err != nil:
		return err
	}
	return a.recordLoads(ctx, before, after)
}
