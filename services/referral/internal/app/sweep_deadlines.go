package app

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/referral/internal/referral"
)

// SweepDeadlines raises the warnings and escalations due at the app's now on
// every slip whose next check has come, each slip in its own version-checked
// write: a sweep that races another instance, or a signature, decides again
// on the fresh state, and a repeated sweep raises nothing twice. It returns
// how many events it raised.
func (a *App) SweepDeadlines(ctx context.Context) (int, error) {
	now := a.Now().UTC()
	due, err := a.Slips.Find(ctx, bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("while finding slips due for a deadline check: %w", err)
	}
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
