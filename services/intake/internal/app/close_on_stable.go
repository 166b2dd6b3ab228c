package app

import (
	"context"
	"errors"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// CloseRoundOnStable records that a dispute's round was closed when its
// revisit found it stable (so repeat reports on a recently closed
// dispute reopen it). eventID makes it idempotent: a redelivered event, or
// a revisit of a past round, changes nothing. Other outcomes are ignored.
func (a *App) CloseRoundOnStable(ctx context.Context, eventID string, rc events.RevisitCompleted) error {
	if rc.Outcome != events.RevisitStable {
		return nil
	}
	_, err := a.update(ctx, rc.DisputeID, docstore.Options{EventID: eventID}, func(ch *docstore.Change[dispute.Dispute]) error {
		closedAt := rc.CompletedAt
		if closedAt.IsZero() {
			closedAt = a.Now()
		}
		ch.State.CloseRound(rc.Round, closedAt)
		return nil
	})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	return err
}
