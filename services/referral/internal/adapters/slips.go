// Package adapters implements the referral service's repositories on the
// store: the use cases (package app) name the slips they want, and only
// this package knows how the store finds them.
package adapters

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/referral/internal/referral"
)

// Slips is app.Slips on a collection of slips.
type Slips struct {
	*docstore.Collection[referral.Slip]
}

// Pending implements app.Slips: a slip without a next check stores no
// next_check_at, which no comparison matches.
func (s Slips) Pending(ctx context.Context) ([]referral.Slip, error) {
	return s.Find(ctx, bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$gt", Value: time.Time{}}}}})
}

// DueBy implements app.Slips.
func (s Slips) DueBy(ctx context.Context, t time.Time) ([]referral.Slip, error) {
	return s.Find(ctx, bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$lte", Value: t}}}})
}
