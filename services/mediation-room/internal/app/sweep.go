package app

import (
	"context"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Sweep applies every deadline that passed: tiers outstayed, joint meetings
// due on time, obligations not performed in time. It returns how many
// mediations it changed.
func (a *App) Sweep(ctx context.Context) (int, error) {
	if a.Due != nil {
		return a.sweepDue(ctx)
	}
	due, err := a.sweepable(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, m := range due {
		_, ok, err := a.sweepOne(ctx, m)
		if err != nil {
			return changed, err
		}
		if ok {
			changed++
		}
	}
	return changed, nil
}

// sweepable finds the mediations a deadline can still change: the open ones,
// and the resolved ones with a term still awaiting performance. Settled
// cases whose agreement is done are never read again.
func (a *App) sweepable(ctx context.Context) ([]mediation.Mediation, error) {
	open, err := a.Mediations.Open(ctx)
	if err != nil {
		return nil, fmt.Errorf("while finding open mediations to sweep: %w", err)
	}
	performing, err := a.Mediations.Performing(ctx)
	if err != nil {
		return nil, fmt.Errorf("while finding agreements under performance: %w", err)
	}
	return append(open, performing...), nil
}

// sweepOne applies the deadlines that passed to m and returns the
// mediation as stored after, and whether it changed.
func (a *App) sweepOne(ctx context.Context, m mediation.Mediation) (mediation.Mediation, bool, error) {
	dc, loads := a.decisionContext(ctx, placeOf(m))
	changed := false
	var before mediation.Mediation
	after, err := a.Mediations.Update(ctx, m.ID, docstore.Options{}, func(ch *docstore.Change[mediation.Mediation]) error {
		before = teamAndStatus(ch.State)
		evs := ch.State.Sweep(dc)
		if loads.err != nil {
			return loads.err
		}
		if len(evs) == 0 {
			return docstore.ErrNoChange
		}
		changed = true
		return emit(ctx, ch, a.Source, dc, evs...)
	})
	if err == nil && changed {
		err = a.recordLoads(ctx, before, after)
	}
	if err != nil {
		return after, false, fmt.Errorf("while sweeping mediation %s: %w", m.ID, err)
	}
	return after, changed, nil
}
