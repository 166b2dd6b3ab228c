package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/referral/internal/referral"
)

// SweepDeadlines raises the warnings and escalations due at the app's now on
// every slip whose next check has come, each slip in its own version-checked
// write: a sweep that races another instance, or a signature, decides again
// on the fresh state, and a repeated sweep raises nothing twice. It returns
// how many events it raised. With a due index (App.Due) it reads only the
// slips filed as due since the last sweep, so its cost follows what is due,
// not what is stored.
func (a *App) SweepDeadlines(ctx context.Context) (int, error) {
	now := a.Now().UTC()
	if a.Due != nil {
		return a.sweepIndexed(ctx, now)
	}
	due, err := a.Slips.DueBy(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("while finding slips due for a deadline check: %w", err)
	}
	return a.sweepSlips(ctx, due, now)
}

// sweepIndexed sweeps the slips the due index filed up to now; an entry
// whose slip's next check has moved on is passed over (it was filed again
// at its new time).
func (a *App) sweepIndexed(ctx context.Context, now time.Time) (int, error) {
	ids, advance, err := a.Due.Due(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("while finding slips due for a deadline check: %w", err)
	}
	due := make([]referral.Slip, 0, len(ids))
	for _, id := range ids {
		s, err := a.Slips.Get(ctx, id)
		if errors.Is(err, docstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("while reading slip %s due for a deadline check: %w", id, err)
		}
		if s.NextCheckAt != nil && !s.NextCheckAt.After(now) {
			due = append(due, s)
		}
	}
	raised, err := a.sweepSlips(ctx, due, now)
	if err != nil {
		return raised, err
	}
	return raised, advance(ctx)
}

func (a *App) sweepSlips(ctx context.Context, due []referral.Slip, now time.Time) (int, error) {
	raised := 0
	for _, s := range due {
		n, err := a.sweepSlip(ctx, s, now)
		if err != nil {
			return raised, fmt.Errorf("while sweeping slip %s: %w", s.ID, err)
		}
		raised += n
	}
	return raised, nil
}

func (a *App) sweepSlip(ctx context.Context, s referral.Slip, now time.Time) (int, error) {
	terms := a.terms(s.CountyCode, s.RiskLevel)
	raised := 0
	_, err := a.Slips.Update(ctx, s.ID, docstore.Options{}, func(ch *docstore.Change[referral.Slip]) error {
		before := ch.State.NextCheckAt
		due := ch.State.Sweep(terms, now)
		raised = len(due)
		if len(due) == 0 && sameTime(before, ch.State.NextCheckAt) {
			return docstore.ErrNoChange
		}
		return ch.EmitEvents(ctx, a.Source, now, due...)
	})
	return raised, err
}

func sameTime(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}
