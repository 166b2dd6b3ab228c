package app

import (
	"context"
	"errors"
	"fmt"

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

// RaisedRisk is a risk raised before the round's mediation opened (repeat
// reports while the slip is still being signed for): the slip's
// referral.issued carries the risk at issue, and arrives on another topic,
// so without it the mediation would open on the calmer level.
type RaisedRisk struct {
	Level events.RiskLevel
	Cause string
}

// RaisedRisks holds the RaisedRisk of each mediation not opened yet, by
// mediation ID; *docstore.Collection satisfies it.
type RaisedRisks interface {
	Get(ctx context.Context, id string) (RaisedRisk, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[RaisedRisk]) error) (RaisedRisk, error)
}

// RaiseRisk applies a raised risk to the round's mediation, moving it up to
// the tier the county starts the new level at. A mediation not opened yet
// keeps the raise for its opening (OpenOnReferral). eventID makes a
// redelivery a no-op.
func (a *App) RaiseRisk(ctx context.Context, eventID string, r RiskRaise) error {
	id := mediation.MediationID(r.DisputeID, r.Round)
	m, err := a.Mediations.GetVisible(ctx, id, func(mediation.Mediation) bool { return true })
	if errors.Is(err, docstore.ErrNotFound) {
		if err := a.keepRaise(ctx, id, r); err != nil {
			return err
		}
		// The mediation may have opened between the read and the keeping,
		// without seeing the raise: read it again.
		m, err = a.Mediations.GetVisible(ctx, id, func(mediation.Mediation) bool { return true })
		if errors.Is(err, docstore.ErrNotFound) {
			return nil
		}
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

// keepRaise remembers the most urgent risk raised before the mediation
// opened.
func (a *App) keepRaise(ctx context.Context, id string, r RiskRaise) error {
	if a.RaisedRisks == nil {
		return nil
	}
	_, err := a.RaisedRisks.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[RaisedRisk]) error {
		if ch.Exists && !mediation.MoreUrgent(r.To, ch.State.Level) {
			return docstore.ErrNoChange
		}
		ch.State = RaisedRisk{Level: r.To, Cause: r.Cause}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while keeping the raised risk of %s for its opening: %w", id, err)
	}
	return nil
}

// riskAtOpening is the risk a mediation opens on: the slip's, or a more
// urgent one raised before it opened.
func (a *App) riskAtOpening(ctx context.Context, id string, issued events.RiskLevel) (events.RiskLevel, error) {
	if a.RaisedRisks == nil {
		return issued, nil
	}
	raised, err := a.RaisedRisks.Get(ctx, id)
	switch {
	case errors.Is(err, docstore.ErrNotFound):
		return issued, nil
	case err != nil:
		return "", fmt.Errorf("while reading the risk raised before %s opened: %w", id, err)
	case mediation.MoreUrgent(raised.Level, issued):
		return raised.Level, nil
	}
	return issued, nil
}
