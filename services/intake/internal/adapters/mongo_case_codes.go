// Package adapters holds intake's storage that is not an aggregate document.
package adapters

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CaseCodeCounter is one counter document per county and year, incremented
// atomically: case codes are unique without a transaction. A number taken by
// a request that then fails is skipped, never reused.
type CaseCodeCounter struct{ C *mongo.Collection }

// Next returns the next sequence number of county in year, from 1.
func (c CaseCodeCounter) Next(ctx context.Context, county string, year int) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	err := c.C.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: fmt.Sprintf("%s-%d", county, year)}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
	).Decode(&doc)
	if err != nil {
		return 0, fmt.Errorf("while allocating a case code for %s: %w", county, err)
	}
	return doc.Seq, nil
}
