package app

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// OpenOnReferral opens the mediation of a referred round at the tier the
// county's policy starts its risk at (the slip's, or one raised since), in the room of its place, with a
// matched team; eventID makes a redelivery a no-op.
func (a *App) OpenOnReferral(ctx context.Context, eventID string, r mediation.Referral) error {
	risk, err := a.riskAtOpening(ctx, mediation.MediationID(r.DisputeID, r.Round), r.RiskLevel)
	if err != nil {
		return err
	}
	r = r.RaisedTo(risk)
	dc, loads := a.decisionContext(ctx, place{County: r.CountyCode, Township: r.Place.TownshipCode,
		Skip: mediation.MediationID(r.DisputeID, r.Round), Category: r.Category, Risk: r.RiskLevel})
	tier := tiers.StartTierFor(a.policy(r.CountyCode), policy.RiskLevel(r.RiskLevel), policy.Category(r.Category))
	team, gaps := mediation.TeamOf(dc.Match(tier, nil, nil))
	if loads.err != nil {
		return loads.err
	}
	opened := false
	m, err := a.Mediations.Update(ctx, mediation.MediationID(r.DisputeID, r.Round), docstore.Options{Create: true, EventID: eventID},
		func(ch *docstore.Change[mediation.Mediation]) error {
			if ch.Exists {
				return docstore.ErrNoChange
			}
			opened = true
			m := mediation.Open(r, tier, dc.RoomFor(tier), team, gaps, dc.Now)
			ch.State = m
			return emit(ctx, ch, a.Source, dc, m.Opened(), m.Assigned(dc.Now))
		})
	switch {
	case errors.Is(err, docstore.ErrDuplicate):
		// A redelivery: the loads counted the case when it opened.
		return a.applyRaiseKeptMeanwhile(ctx, eventID, r)
	case err != nil:
		return err
	case opened:
		if err := a.recordLoads(ctx, mediation.Mediation{}, m); err != nil {
			return err
		}
	}
	return a.applyRaiseKeptMeanwhile(ctx, eventID, r)
}

// applyRaiseKeptMeanwhile applies a raise kept for the opening after the
// opening read none. A raise and an opening that run at once can each read
// before the other writes; since each reads the other's record again after
// writing its own, one of them sees both and applies the raise.
func (a *App) applyRaiseKeptMeanwhile(ctx context.Context, eventID string, r mediation.Referral) error {
	if a.RaisedRisks == nil {
		return nil
	}
	id := mediation.MediationID(r.DisputeID, r.Round)
	raised, err := a.RaisedRisks.Get(ctx, id)
	switch {
	case errors.Is(err, docstore.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("while reading the risk raised before %s opened: %w", id, err)
	case !mediation.MoreUrgent(raised.Level, r.RiskLevel):
		return nil
	}
	return a.RaiseRisk(ctx, eventID+"/raised-meanwhile", RiskRaise{DisputeID: r.DisputeID, Round: r.Round, To: raised.Level, Cause: raised.Cause})
}

// emit puts events into the change's outbox.
func emit(ctx context.Context, ch *docstore.Change[mediation.Mediation], source string, dc mediation.Context, evs ...events.Payload) error {
	for _, ev := range evs {
		e, err := outbox.New(ctx, source, ev, dc.Now)
		if err != nil {
			return fmt.Errorf("while writing the outbox of %s: %w", ch.State.ID, err)
		}
		ch.Emit(e)
	}
	return nil
}
