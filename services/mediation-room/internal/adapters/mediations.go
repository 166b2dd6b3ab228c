// Package adapters implements the mediation room's repositories on the
// store: the use cases (package app) name the mediations they want, and
// only this package knows how the store finds them.
package adapters

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// Mediations is app.Mediations on a collection of mediations.
type Mediations struct {
	*docstore.Collection[mediation.Mediation]
}

// Open implements app.Mediations.
func (m Mediations) Open(ctx context.Context) ([]mediation.Mediation, error) {
	return m.Find(ctx, bson.D{{Key: "status", Value: string(mediation.StatusOpen)}})
}

// Performing implements app.Mediations.
func (m Mediations) Performing(ctx context.Context) ([]mediation.Mediation, error) {
	return m.Find(ctx, bson.D{{Key: "status", Value: string(mediation.StatusResolved)},
		{Key: "performance.terms.status", Value: "pending"}})
}

// OfDispute implements app.Mediations.
func (m Mediations) OfDispute(ctx context.Context, county, disputeID string) ([]mediation.Mediation, error) {
	return m.Find(ctx, bson.D{{Key: "dispute_id", Value: disputeID}, {Key: "county_code", Value: county}})
}
