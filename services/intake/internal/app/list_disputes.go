package app

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/intake/internal/dispute"
)

// MaxListed bounds a listing; a caller pages by narrowing the filter.
const MaxListed = 50

// ListDisputes returns up to MaxListed disputes of the caller's county,
// newest first, optionally only those with the given IDs or category. The
// personal data stays sealed: a listing shows none of it.
func (a *App) ListDisputes(ctx context.Context, county string, ids []string, category events.Category) ([]dispute.Dispute, error) {
	filter := bson.D{{Key: "county_code", Value: county}}
	if len(ids) > 0 {
		filter = append(filter, bson.E{Key: "id", Value: bson.D{{Key: "$in", Value: ids}}})
	}
	if category != "" {
		filter = append(filter, bson.E{Key: "category", Value: category})
	}
	found, err := a.Disputes.Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("while listing the disputes of county %s: %w", county, err)
	}
	out := make([]dispute.Dispute, 0, min(len(found), MaxListed))
	for i := len(found) - 1; i >= 0 && len(out) < MaxListed; i-- {
		out = append(out, found[i])
	}
	return out, nil
}
