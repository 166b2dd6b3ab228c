package app

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/dispute"
)

// FollowTransfer moves a dispute to the county referral transferred its
// slip to, so the county that holds the slip also holds the dispute.
// eventID makes a redelivery a no-op.
func (a *App) FollowTransfer(ctx context.Context, eventID string, e events.ReferralTransferred) error {
	_, err := a.update(ctx, e.DisputeID, docstore.Options{EventID: eventID}, func(ch *docstore.Change[dispute.Dispute]) error {
		if !ch.State.FollowTransfer(e) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if errors.Is(err, docstore.ErrDuplicate) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("while following the transfer of %s to %s: %w", e.DisputeID, e.ToCountyCode, err)
	}
	return nil
}
