// Package docstore keeps aggregates in MongoDB (or FerretDB), one document
// each, holding the state, the pending outbox and the IDs of the events whose
// effect the document already holds.
//
// Every change is load → decide → save under an optimistic version check on
// that one document: the only atomicity FerretDB offers, and enough, because
// the state, the events it causes and the consumer's idempotency record all
// change together or not at all. A writer that lost the race reloads and
// decides again after a short random delay.
//
// FerretDB v1 evaluates an update's filter and writes the result in two
// steps (FerretDB/FerretDB#3040), so the version check alone does not stop
// two concurrent writers, and its SQLite backend decodes the whole
// collection for any filter but exactly {_id: value}. So against FerretDB the version
// is compared under a per-document lock shared by every writer of this
// process (the relay's too), with reads and writes by _id alone: a cost
// that does not grow with the collection (pkg/internal/doclock). Several
// processes writing one FerretDB collection can still lose updates;
// against MongoDB the write is its atomic {_id, version} compare-and-set.
package docstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/pkg/problem"
)

// Errors of the store.
var (
	// ErrNotFound is problem.ErrNotFound, so that a use case's caller
	// tells a missing record without knowing the store.
	ErrNotFound  = problem.ErrNotFound
	ErrDuplicate = errors.New("event already applied")
	ErrConflict  = errors.New("too many concurrent writes")
	// ErrNoChange, returned by a decide function, ends an Update without a
	// write: Update then returns the current state and a nil error.
	ErrNoChange = errors.New("no change")
)

// Record is the stored document of one aggregate.
type Record[S any] struct {
	ID      string         `bson:"_id"`
	Version int64          `bson:"version"`
	State   S              `bson:"state"`
	Outbox  []outbox.Entry `bson:"outbox"`
	Pending int            `bson:"pending"`
	Applied []string       `bson:"applied"` // bounded: see remember
	// ForgottenUntil is the time of the newest applied event ID that was
	// forgotten to bound Applied; events up to it count as applied.
	ForgottenUntil time.Time `bson:"applied_forgotten_until,omitempty"`
	CreatedAt      time.Time `bson:"created_at"`
	UpdatedAt      time.Time `bson:"updated_at"`
}

// Collection stores aggregates of state type S.
type Collection[S any] struct {
	coll      *mongo.Collection
	onOutbox  func()
	onPending func(coll *mongo.Collection, id string)
	now       func() time.Time
	codec     codec[S]
}

// New wraps coll. onOutbox, if set, is called after a write that added
// outbox entries (the relay's Nudge).
func New[S any](coll *mongo.Collection, onOutbox func()) *Collection[S] {
	return &Collection[S]{coll: coll, onOutbox: onOutbox, now: time.Now, codec: identityCodec[S]()}
}

// NotifyPending makes every write that added outbox entries tell f which
// document it wrote (the relay's Pending), so the relay publishes that
// document without looking for it. Call it before the first Update.
func (c *Collection[S]) NotifyPending(f func(coll *mongo.Collection, id string)) *Collection[S] {
	c.onPending = f
	return c
}

// Mongo returns the underlying collection (for the relay and for queries).
func (c *Collection[S]) Mongo() *mongo.Collection { return c.coll }

// EnsureIndexes creates the pending-outbox index and the given state indexes
// (field paths relative to the state, e.g. "county_code") that do not exist
// yet. Existing ones are skipped rather than re-created: FerretDB v1 (SQLite)
// drops the connection when asked to create an index that already exists
// after a restart.
//
// The pending-outbox index serves the relay's rare recovery sweep. On
// MongoDB it is partial (only documents with pending entries, a handful at
// any time), so it costs nothing to keep up while entries come and go. On
// FerretDB it is not created: neither backend hands a {pending: {$gt: 0}}
// filter to an index, so it would only slow every write down.
func (c *Collection[S]) EnsureIndexes(ctx context.Context, stateFields ...string) error {
	existing, err := c.indexNames(ctx)
	if err != nil {
		return err
	}
	atomic, err := doclock.Atomic(ctx, c.coll)
	if err != nil {
		return err
	}
	var models []mongo.IndexModel
	if atomic && !existing[pendingIndex] {
		models = append(models, mongo.IndexModel{
			Keys: bson.D{{Key: outbox.FieldPending, Value: 1}},
			Options: options.Index().SetName(pendingIndex).
				SetPartialFilterExpression(bson.D{{Key: outbox.FieldPending, Value: bson.D{{Key: "$gt", Value: 0}}}}),
		})
	}
	for _, k := range prefixed("state.", stateFields) {
		name := k + "_1" // the server's default name for an ascending index
		if !existing[name] {
			models = append(models, mongo.IndexModel{Keys: bson.D{{Key: k, Value: 1}}, Options: options.Index().SetName(name)})
		}
	}
	if len(models) == 0 {
		return nil
	}
	if _, err := c.coll.Indexes().CreateMany(ctx, models); err != nil {
		return fmt.Errorf("while creating indexes on %s: %w", c.coll.Name(), err)
	}
	return nil
}

// pendingIndex names the partial index on pending; not the default name
// "pending_1", which older deployments used for a full index of the field.
const pendingIndex = "pending_partial"

func (c *Collection[S]) indexNames(ctx context.Context) (map[string]bool, error) {
	cur, err := c.coll.Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("while listing indexes of %s: %w", c.coll.Name(), err)
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return nil, fmt.Errorf("while listing indexes of %s: %w", c.coll.Name(), err)
	}
	names := make(map[string]bool, len(specs))
	for _, s := range specs {
		names[s.Name] = true
	}
	return names, nil
}

func prefixed(prefix string, fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = prefix + f
	}
	return out
}

// Get returns the state of aggregate id, or ErrNotFound.
func (c *Collection[S]) Get(ctx context.Context, id string) (S, error) {
	rec, err := c.load(ctx, id)
	if err != nil || rec == nil {
		var zero S
		if err == nil {
			err = fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrNotFound)
		}
		return zero, err
	}
	return rec.State, nil
}

// GetWithVersion returns the state of aggregate id and its version, for a
// caller that will send the version back as Options.ExpectedVersion (an
// ETag), or ErrNotFound.
func (c *Collection[S]) GetWithVersion(ctx context.Context, id string) (S, int64, error) {
	rec, err := c.load(ctx, id)
	if err != nil || rec == nil {
		var zero S
		if err == nil {
			err = fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrNotFound)
		}
		return zero, 0, err
	}
	return rec.State, rec.Version, nil
}

// All returns every state of the collection, oldest first: what a use case
// asks for when it rebuilds an index or walks every aggregate.
func (c *Collection[S]) All(ctx context.Context) ([]S, error) { return c.Find(ctx, bson.D{}) }

// Find returns the states matching filter, whose field paths are relative to
// the state (e.g. bson.D{{"county_code", "622901"}}), oldest first. It is
// for a service's store adapter, which implements the named queries its use
// cases declare on their repository (Open, ForDispute, ...): the use cases
// name what they want and never see a filter.
func (c *Collection[S]) Find(ctx context.Context, filter bson.D) ([]S, error) {
	f := make(bson.D, 0, len(filter))
	for _, e := range filter {
		f = append(f, bson.E{Key: "state." + e.Key, Value: e.Value})
	}
	cur, err := c.coll.Find(ctx, f, options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("while querying %s: %w", c.coll.Name(), err)
	}
	var recs []Record[bson.RawValue]
	if err := cur.All(ctx, &recs); err != nil {
		return nil, fmt.Errorf("while reading %s: %w", c.coll.Name(), err)
	}
	out := make([]S, len(recs))
	for i, r := range recs {
		rec, err := c.decodeRecord(r)
		if err != nil {
			return nil, err
		}
		out[i] = rec.State
	}
	return out, nil
}

func (c *Collection[S]) load(ctx context.Context, id string) (*Record[S], error) {
	var raw Record[bson.RawValue]
	err := c.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&raw)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("while loading %s %s: %w", c.coll.Name(), id, err)
	}
	rec, err := c.decodeRecord(raw)
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// GetVisible returns aggregate id if visible says the caller may see it, and
// ErrNotFound otherwise: another county's case is reported as missing, not
// forbidden, since even its existence is not the caller's business.
func (c *Collection[S]) GetVisible(ctx context.Context, id string, visible func(S) bool) (S, error) {
	s, err := c.Get(ctx, id)
	if err == nil && !visible(s) {
		var zero S
		return zero, fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrNotFound)
	}
	return s, err
}
