// Package adapters holds intake's storage that is not an aggregate document.
package adapters

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// CaseCodeCounter hands out each county's case-code sequence numbers, unique
// by construction: a number is taken by inserting a claim document whose _id
// is the county, year and number, and the store refuses a second document
// with the same _id even when two writers race (FerretDB on SQLite checks it
// in one SQLite statement; MongoDB in its _id index). The read-modify-write
// of an update, $inc included, has no such guarantee on FerretDB: parallel
// registrations were handed the same number.
//
// One counter document per county and year (_id "622901-2026") keeps a hint
// of the highest number taken, so that a claim starts near the end instead
// of walking from 1; a lost or stale hint only costs a few refused claims.
// A number taken by a request that then fails is skipped, never reused.
type CaseCodeCounter struct{ C *mongo.Collection }

// Next returns the next free sequence number of county in year, from 1.
func (c CaseCodeCounter) Next(ctx context.Context, county string, year int) (int64, error) {
	counter := fmt.Sprintf("%s-%d", county, year)
	seq, err := c.hint(ctx, counter)
	if err != nil {
		return 0, fmt.Errorf("while allocating a case code for %s: %w", county, err)
	}
	for {
		seq++
		_, err := c.C.InsertOne(ctx, bson.D{
			{Key: "_id", Value: fmt.Sprintf("%s-%d", counter, seq)},
			{Key: "county_code", Value: county}, {Key: "year", Value: year}, {Key: "seq", Value: seq},
		})
		if mongo.IsDuplicateKeyError(err) {
			continue // another registration took it first
		}
		if err != nil {
			return 0, fmt.Errorf("while claiming case code %d of %s: %w", seq, counter, err)
		}
		c.advance(ctx, counter, seq)
		return seq, nil
	}
}

// hint is the highest number the counter document remembers, 0 if none.
func (c CaseCodeCounter) hint(ctx context.Context, counter string) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	err := c.C.FindOne(ctx, bson.D{{Key: "_id", Value: counter}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return doc.Seq, err
}

// advance raises the hint to seq. Its errors are ignored on purpose: the
// number is already claimed, and a hint left behind only makes the next
// claims try a few taken numbers first.
func (c CaseCodeCounter) advance(ctx context.Context, counter string, seq int64) {
	_, _ = c.C.UpdateOne(ctx, bson.D{{Key: "_id", Value: counter}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "seq", Value: seq}}}}, options.UpdateOne().SetUpsert(true))
}

// uniqueCaseCodeIndex is the name of the unique index on the disputes' case
// codes: the last line of defence, should a code ever be handed out twice.
const uniqueCaseCodeIndex = "state.case_code_unique"

// EnsureUniqueCaseCodes creates the unique index on the case code of the
// disputes collection, unless it exists (FerretDB v1 drops the connection
// when asked to create an existing index).
func EnsureUniqueCaseCodes(ctx context.Context, disputes *mongo.Collection) error {
	cur, err := disputes.Indexes().List(ctx)
	if err != nil {
		return fmt.Errorf("while listing indexes of %s: %w", disputes.Name(), err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return fmt.Errorf("while listing indexes of %s: %w", disputes.Name(), err)
	}
	for _, s := range specs {
		if s.Name == uniqueCaseCodeIndex {
			return nil
		}
	}
	_, err = disputes.Indexes().CreateOne(ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "state.case_code", Value: 1}},
		Options: options.Index().SetName(uniqueCaseCodeIndex).SetUnique(true),
	})
	if err != nil {
		return fmt.Errorf("cannot create the unique index on the case codes of %s (are codes already repeated?): %w", disputes.Name(), err)
	}
	return nil
}
