// Package adapters holds intake's storage: the storage models its aggregates
// are kept through (the *_document.go files) and the case-code counter.
package adapters

import (
	"context"
	"errors"
	"fmt"
	"sync"

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
// of the highest number taken (written every hintEvery numbers), so that a
// claim starts near the end instead of walking from 1; a lost or stale hint
// only costs a few refused claims.
// A number taken by a request that then fails is skipped, never reused.
//
// The counter also remembers, per county and year, the highest number this
// process tried, and hands each caller the next one: concurrent
// registrations of one county then try distinct numbers instead of all
// starting from the same hint and walking through each other's claims
// (with k in flight, about k²/2 refused inserts, each a failed transaction
// on PostgreSQL, measured as the largest part of the POST under load). The
// store is read for the hint only the first time and after a refused
// claim (another replica took numbers meanwhile); the claim itself still
// decides, so several replicas stay correct.
type CaseCodeCounter struct {
	c *mongo.Collection

	mu    sync.Mutex
	tried map[string]int64 // counter _id → highest number this process tried
}

// NewCaseCodeCounter hands out numbers claimed in coll.
func NewCaseCodeCounter(coll *mongo.Collection) *CaseCodeCounter {
	return &CaseCodeCounter{c: coll, tried: map[string]int64{}}
}

// Next returns the next free sequence number of county in year, from 1.
func (c *CaseCodeCounter) Next(ctx context.Context, county string, year int) (int64, error) {
	counter := fmt.Sprintf("%s-%d", county, year)
	if err := c.learnHint(ctx, counter, false); err != nil {
		return 0, fmt.Errorf("while allocating a case code for %s: %w", county, err)
	}
	for {
		seq := c.reserve(counter)
		_, err := c.c.InsertOne(ctx, bson.D{
			{Key: "_id", Value: fmt.Sprintf("%s-%d", counter, seq)},
			{Key: "county_code", Value: county}, {Key: "year", Value: year}, {Key: "seq", Value: seq},
		})
		if mongo.IsDuplicateKeyError(err) {
			// Taken by another process: its hint tells how far to jump.
			if err := c.learnHint(ctx, counter, true); err != nil {
				return 0, fmt.Errorf("while allocating a case code for %s: %w", county, err)
			}
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("while claiming case code %d of %s: %w", seq, counter, err)
		}
		if seq%hintEvery == 0 {
			c.advance(ctx, counter, seq)
		}
		return seq, nil
	}
}

// hintEvery is how many numbers are claimed per write of the hint: a
// hint at most hintEvery-1 behind costs a restarted process (or another
// replica) that many refused claims once, and saves a write on every other
// registration.
const hintEvery = 8

// reserve hands the caller the number after the highest one tried.
func (c *CaseCodeCounter) reserve(counter string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tried[counter]++
	return c.tried[counter]
}

// learnHint raises the numbers to try past the stored hint: always when
// again is set, otherwise only for a counter this process has not tried.
func (c *CaseCodeCounter) learnHint(ctx context.Context, counter string, again bool) error {
	c.mu.Lock()
	_, known := c.tried[counter]
	c.mu.Unlock()
	if known && !again {
		return nil
	}
	hint, err := c.hint(ctx, counter)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tried[counter] = max(c.tried[counter], hint)
	return nil
}

// hint is the highest number the counter document remembers, 0 if none.
func (c *CaseCodeCounter) hint(ctx context.Context, counter string) (int64, error) {
	var doc struct {
		Seq int64 `bson:"seq"`
	}
	err := c.c.FindOne(ctx, bson.D{{Key: "_id", Value: counter}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	return doc.Seq, err
}

// advance raises the hint to seq. Its errors are ignored on purpose: the
// number is already claimed, and a hint left behind only makes the next
// claims try a few taken numbers first.
func (c *CaseCodeCounter) advance(ctx context.Context, counter string, seq int64) {
	_, _ = c.c.UpdateOne(ctx, bson.D{{Key: "_id", Value: counter}},
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
