package app

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/dispute"
)

// ReopenOnRebound reopens a dispute whose revisit found a rebound. eventID
// makes it idempotent: a redelivered event changes nothing. The revisit's
// note is kept (sealed) with the reopening; the event says only that a
// revisit found a rebound and names the revisit.
func (a *App) ReopenOnRebound(ctx context.Context, eventID string, rc events.RevisitCompleted) error {
	if rc.Outcome != events.RevisitRebound {
		return nil
	}
	return a.reopen(ctx, eventID, rc, dispute.Rebound{Note: rc.Note})
}

// reopen applies the rebound r, completed from rc, to the dispute rc names.
func (a *App) reopen(ctx context.Context, eventID string, rc events.RevisitCompleted, r dispute.Rebound) error {
	r.Round, r.CausedBy, r.From = rc.Round, rc.RevisitID, rc.From
	_, err := a.update(ctx, rc.DisputeID, docstore.Options{EventID: eventID}, func(ch *docstore.Change[dispute.Dispute]) error {
		r.At = a.Now()
		reopened, err := ch.State.Reopen(r)
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
		return dispute.Dispute{}, problem.ErrNotFound
	}
	return d, err
}
