// Package adapters implements the revisit service's repositories on the
// store: the use cases (package app) name the revisits they want, and only
// this package knows how the store finds them.
package adapters

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// Revisits is app.Revisits on a collection of revisits.
type Revisits struct {
	*docstore.Collection[revisit.Revisit]
}

// Scheduled implements app.Revisits.
func (r Revisits) Scheduled(ctx context.Context) ([]revisit.Revisit, error) {
	return r.Find(ctx, bson.D{{Key: "status", Value: revisit.StatusScheduled}})
}

// ScheduledIn implements app.Revisits.
func (r Revisits) ScheduledIn(ctx context.Context, county string) ([]revisit.Revisit, error) {
	return r.Find(ctx, bson.D{{Key: "county_code", Value: county}, {Key: "status", Value: revisit.StatusScheduled}})
}
