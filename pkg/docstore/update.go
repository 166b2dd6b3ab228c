package docstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/internal/wait"
	"fengqiao.dev/pkg/outbox"
)

// Change is what a decision sees and produces: the current state (the zero
// value when the aggregate is new) and the events to publish.
type Change[S any] struct {
	State  S
	Exists bool
	emit   []outbox.Entry
}

// Emit queues events; they are stored in the same write as the state.
func (ch *Change[S]) Emit(entries ...outbox.Entry) { ch.emit = append(ch.emit, entries...) }

// EmitEvents queues payloads, each on its event type's internal topic, as
// emitted by the service source at now, carrying the trace context of ctx.
func (ch *Change[S]) EmitEvents(ctx context.Context, source string, now time.Time, payloads ...events.Payload) error {
	for _, p := range payloads {
		e, err := outbox.New(ctx, source, p, now)
		if err != nil {
			return err
		}
		ch.Emit(e)
	}
	return nil
}

// Options of an Update.
type Options struct {
	// Create allows the aggregate not to exist yet (decide sees Exists=false).
	Create bool
	// EventID makes the update idempotent: if this event was applied
	// before, Update returns ErrDuplicate and writes nothing.
	EventID string
}

// maxAttempts bounds the optimistic-concurrency retries of one update.
// Between attempts a writer that lost the race waits a random delay of up
// to 1 ms, 2 ms, 4 ms, ... capped at maxBackoff ("full jitter"): retrying at
// once, every loser of a round meets every other loser again in the next,
// and with a few dozen writers of one aggregate (a burst of redeliveries,
// a busy case) some ran out of attempts within milliseconds.
const (
	maxAttempts = 30
	maxBackoff  = 50 * time.Millisecond
)

// Update loads aggregate id, lets decide change it, and saves the state, the
// new outbox entries and the applied event ID in one version-checked write,
// retrying from the load when another writer got there first. decide may run
// more than once, so it must be free of side effects.
func (c *Collection[S]) Update(ctx context.Context, id string, opts Options, decide func(*Change[S]) error) (S, error) {
	var zero S
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 && !wait.Jittered(ctx, attempt, maxBackoff) {
			return zero, ctx.Err()
		}
		rec, err := c.load(ctx, id)
		if err != nil {
			return zero, err
		}
		if rec == nil && !opts.Create {
			return zero, fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrNotFound)
		}
		if rec != nil && opts.EventID != "" && slices.Contains(rec.Applied, opts.EventID) {
			return rec.State, ErrDuplicate
		}
		ch := &Change[S]{Exists: rec != nil}
		if rec != nil {
			ch.State = rec.State
		}
		if err := decide(ch); errors.Is(err, ErrNoChange) {
			return ch.State, nil
		} else if err != nil {
			return zero, err
		}
		ok, err := c.save(ctx, id, rec, ch, opts.EventID)
		if err != nil {
			return zero, err
		}
		if ok {
			if len(ch.emit) > 0 && c.onOutbox != nil {
				c.onOutbox()
			}
			return ch.State, nil
		}
	}
	return zero, fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrConflict)
}

// save writes the change; false means another writer won and the caller
// must reload.
func (c *Collection[S]) save(ctx context.Context, id string, old *Record[S], ch *Change[S], eventID string) (bool, error) {
	now := c.now().UTC()
	if old == nil {
		rec := Record[S]{ID: id, Version: 1, State: ch.State, Outbox: ch.emit, Pending: len(ch.emit), CreatedAt: now, UpdatedAt: now}
		if eventID != "" {
			rec.Applied = []string{eventID}
		}
		if rec.Outbox == nil {
			rec.Outbox = []outbox.Entry{}
		}
		_, err := c.coll.InsertOne(ctx, rec)
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("while creating %s %s: %w", c.coll.Name(), id, err)
		}
		return true, nil
	}
	pending := append(slices.Clip(old.Outbox), ch.emit...)
	applied := old.Applied
	if eventID != "" {
		applied = append(slices.Clip(applied), eventID)
	}
	unlock := doclock.Lock(c.coll, id) // FerretDB's conditional update is not atomic
	defer unlock()
	res, err := c.coll.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: outbox.FieldVersion, Value: old.Version}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "state", Value: ch.State}, {Key: outbox.FieldOutbox, Value: pending},
			{Key: outbox.FieldPending, Value: len(pending)}, {Key: "applied", Value: applied},
			{Key: outbox.FieldVersion, Value: old.Version + 1}, {Key: "updated_at", Value: now},
		}}})
	if err != nil {
		return false, fmt.Errorf("while saving %s %s: %w", c.coll.Name(), id, err)
	}
	return res.MatchedCount == 1, nil
}
