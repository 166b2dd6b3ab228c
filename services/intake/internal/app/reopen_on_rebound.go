package app

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// ReopenOnRebound reopens a dispute whose revisit found a rebound. eventID
// makes it idempotent: a redelivered event changes nothing.
func (a *App) ReopenOnRebound(ctx context.Context, eventID string, rc events.RevisitCompleted) error {
	if rc.Outcome != events.RevisitRebound {
		return nil
	}
	_, err := a.update(ctx, rc.DisputeID, docstore.Options{EventID: eventID}, func(ch *docstore.Change[dispute.Dispute]) error {
		reopened, err := ch.State.Reopen(dispute.Rebound{
			Round: rc.Round, Reason: rc.Note, CausedBy: rc.RevisitID, From: rc.From, At: a.Now(),
		})
		if errors.Is(err, dispute.ErrNotReopenable) {
			return nil // a stale rebound: record it as applied, change nothing else
		}
		if err != nil {
			return err
		}
		return ch.EmitEvents(ctx, a.Source, a.Now(), reopened)
	})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}

// Dispute returns a dispute the caller's county owns.
func (a *App) Dispute(ctx context.Context, county, id string) (dispute.Dispute, error) {
	d, err := a.get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) || (err == nil && d.CountyCode != county) {
		// Another county's dispute is reported as missing, not forbidden:
		// its existence is not the caller's business.
		return dispute.Dispute{}, ErrNotFound
	}
	return d, err
}
