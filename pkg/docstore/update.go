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
	// ExpectedVersion, when not 0, is the version the caller last saw (an
	// If-Match request): if the aggregate is at another version, or another
	// writer saves first, Update returns ErrConflict at once, without
	// deciding again, so the caller can tell its user the case moved on.
	ExpectedVersion int64
	// AssumeNew (with Create) says the aggregate most likely does not exist
	// yet (a dispute just registered, the slip of a round just opened): the
	// first attempt decides on the zero state and inserts without loading
	// first, one round trip instead of two. If the aggregate exists after
	// all, the store refuses the insert and Update loads and decides again
	// as always, so the result is the same either way.
	AssumeNew bool
	// Patience, when not 0, replaces the 2 s a writer waits for the
	// document's other writers before ErrConflict. Documents that many
	// aggregates' writes share, such as a due index's second or a work
	// queue's week, set it longer: their writers are the platform's own
	// consumers and requests, a burst of them queues on one document, and
	// giving up would fail (or dead-letter) a write that only had to wait.
	Patience time.Duration
	// Nested says the write may happen while the caller holds another
	// document's lock (inside a decide function: a due index filed within
	// the change of the slip that falls due). It locks the document apart
	// from the others (doclock.AcquireNested), so the two locks can never
	// be one. Every writer of a document must set it alike, and a nested
	// document's own decide must write nothing else.
	Nested bool
}

// A writer that lost the race waits a random delay of up to 1 ms, 2 ms,
// 4 ms, ... capped at maxBackoff ("full jitter") and retries: retrying at
// once, every loser of a round meets every other loser again in the next.
// It gives up with ErrConflict after maxAttempts or once retryBudget has
// passed since the first load, whichever comes first: 50 writers of one
// aggregate must each get an answer in a time a request can wait (the
// services answer 409), not queue until the caller's own deadline cancels
// them and they end as a 500.
const (
	maxAttempts = 30
	maxBackoff  = 50 * time.Millisecond
	retryBudget = 2 * time.Second
)

// Update loads aggregate id, lets decide change it, and saves the state, the
// new outbox entries and the applied event ID in one version-checked write,
// retrying from the load when another writer got there first. decide may run
// more than once, so it must be free of side effects.
//
// Against FerretDB the load, the decision and the write hold the
// document's lock (pkg/internal/doclock), so no writer of this process can
// come between them and the write, by _id alone, cannot lose; waiting for
// the lock counts against the same budget as retries do. Against MongoDB
// the write is an atomic compare-and-set on the version, and a writer that
// lost retries.
func (c *Collection[S]) Update(ctx context.Context, id string, opts Options, decide func(*Change[S]) error) (S, error) {
	var zero S
	serialise, err := c.needsLock(ctx)
	if err != nil {
		return zero, err
	}
	patience := retryBudget
	if opts.Patience > 0 {
		patience = opts.Patience
	}
	budget, cancel := context.WithTimeoutCause(ctx, patience, ErrConflict)
	defer cancel()
	for attempt := 0; attempt < maxAttempts || opts.Patience > 0; attempt++ {
		if attempt > 0 && !wait.Jittered(budget, attempt, maxBackoff) {
			break
		}
		state, saved, err := c.attempt(ctx, budget, id, opts, decide, serialise, attempt == 0 && opts.Create && opts.AssumeNew)
		if err != nil || saved {
			return state, err
		}
		if opts.ExpectedVersion != 0 {
			return zero, fmt.Errorf("%s %s changed while saving version %d: %w", c.coll.Name(), id, opts.ExpectedVersion, ErrConflict)
		}
	}
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	return zero, fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrConflict)
}

// needsLock reports whether writes must hold the document's lock: true
// against FerretDB, whose conditional update is not atomic.
func (c *Collection[S]) needsLock(ctx context.Context) (bool, error) {
	atomic, err := doclock.Atomic(ctx, c.coll)
	if err != nil {
		return false, fmt.Errorf("while writing %s: %w", c.coll.Name(), err)
	}
	return !atomic, nil
}

// attempt is one load → decide → save; saved false (with a nil error)
// means another writer won and the caller may retry.
func (c *Collection[S]) attempt(ctx, budget context.Context, id string, opts Options, decide func(*Change[S]) error, serialise, assumeNew bool) (state S, saved bool, err error) {
	var zero S
	if serialise {
		acquire := doclock.Acquire
		if opts.Nested {
			acquire = doclock.AcquireNested
		}
		unlock, err := acquire(budget, c.coll, id)
		if err != nil {
			if ctx.Err() != nil {
				return zero, false, ctx.Err()
			}
			return zero, false, fmt.Errorf("%s %s: waited too long for other writers: %w", c.coll.Name(), id, ErrConflict)
		}
		defer unlock()
	}
	var rec *Record[S]
	if !assumeNew {
		if rec, err = c.load(ctx, id); err != nil {
			return zero, false, err
		}
	}
	if rec == nil && !opts.Create {
		return zero, false, fmt.Errorf("%s %s: %w", c.coll.Name(), id, ErrNotFound)
	}
	if rec != nil && opts.EventID != "" && rec.hasApplied(opts.EventID) {
		return rec.State, false, ErrDuplicate
	}
	if opts.ExpectedVersion != 0 && (rec == nil || rec.Version != opts.ExpectedVersion) {
		return zero, false, c.versionConflict(id, opts.ExpectedVersion, rec)
	}
	ch := &Change[S]{Exists: rec != nil}
	if rec != nil {
		ch.State = rec.State
	}
	if err := decide(ch); errors.Is(err, ErrNoChange) {
		return ch.State, true, nil
	} else if err != nil {
		return zero, false, err
	}
	ok, err := c.save(ctx, id, rec, ch, opts.EventID, serialise)
	if err != nil {
		if serialise && !opts.Nested {
			doclock.MarkUncertain(c.coll, id, uncertainLanding)
		}
		c.announceUncertain(id, len(ch.emit))
		return zero, false, err
	}
	if !ok {
		return zero, false, nil
	}
	c.announce(id, len(ch.emit))
	return ch.State, true, nil
}

func (c *Collection[S]) versionConflict(id string, expected int64, rec *Record[S]) error {
	if rec == nil {
		return fmt.Errorf("%s %s does not exist, expected version %d: %w", c.coll.Name(), id, expected, ErrConflict)
	}
	return fmt.Errorf("%s %s is at version %d, expected %d: %w", c.coll.Name(), id, rec.Version, expected, ErrConflict)
}

// announce tells the relay that document id has new outbox entries.
func (c *Collection[S]) announce(id string, emitted int) {
	if emitted == 0 {
		return
	}
	if c.onPending != nil {
		c.onPending(c.coll, id)
	}
	if c.onOutbox != nil {
		c.onOutbox()
	}
}

// uncertainLanding is how long after a write of unknown outcome the store
// may still be finishing it: until then the relay does not trust the
// document's lock stamp to say that nothing was written since it read it.
const uncertainLanding = 30 * time.Second

// uncertainRecheck is how long after a write of unknown outcome the relay
// is told about its document a second time.
const uncertainRecheck = 3 * time.Second

// announceUncertain tells the relay about a write whose outcome is unknown:
// its request was cancelled or its connection lost while the store wrote,
// so the caller saw an error, yet the write may have landed, and the store
// may even finish it after the error. Untold, its entries would wait for the
// relay's next sweep (minutes), and a retry that finds the write made (an
// Idempotency-Key replayed, an event found applied) writes nothing to tell
// about. So the relay hears of the document at once and again a little
// later; a document with nothing pending costs it one read by _id. It
// hears once more when the store can no longer be finishing the write
// (uncertainLanding): on FerretDB the relay does not sweep while it runs,
// so a write landing that late would otherwise wait for a crash's sweep.
func (c *Collection[S]) announceUncertain(id string, emitted int) {
	if emitted == 0 || c.onPending == nil {
		return
	}
	c.onPending(c.coll, id)
	time.AfterFunc(uncertainRecheck, func() { c.onPending(c.coll, id) })
	time.AfterFunc(uncertainLanding+time.Second, func() { c.onPending(c.coll, id) })
}

// save writes the change; false means another writer won and the caller
// must reload. An existing document is written with the platform's one
// version-checked write (doclock.SetAtVersion): by _id alone when
// serialised (under the document's lock, see Update), else the atomic
// compare-and-set {_id, version}.
func (c *Collection[S]) save(ctx context.Context, id string, old *Record[S], ch *Change[S], eventID string, serialised bool) (bool, error) {
	now := c.now().UTC()
	if old == nil {
		rec := Record[S]{ID: id, Version: 1, State: ch.State, Outbox: ch.emit, Pending: len(ch.emit), CreatedAt: now, UpdatedAt: now}
		if eventID != "" {
			rec.Applied = []string{eventID}
		}
		if rec.Outbox == nil {
			rec.Outbox = []outbox.Entry{}
		}
		_, err := c.coll.InsertOne(ctx, c.encodeRecord(rec))
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("while creating %s %s: %w", c.coll.Name(), id, err)
		}
		return true, nil
	}
	pending := append(slices.Clip(old.Outbox), ch.emit...)
	applied, forgotten := old.Applied, old.ForgottenUntil
	if eventID != "" {
		applied, forgotten = remember(applied, forgotten, eventID, now)
	}
	set := bson.D{
		{Key: "state", Value: c.codec.encode(ch.State)}, {Key: outbox.FieldOutbox, Value: pending},
		{Key: outbox.FieldPending, Value: len(pending)}, {Key: "applied", Value: applied},
		{Key: "updated_at", Value: now},
	}
	if !forgotten.IsZero() {
		set = append(set, bson.E{Key: fieldForgottenUntil, Value: forgotten})
	}
	matched, err := doclock.SetAtVersion(ctx, c.coll, id, old.Version, serialised, set)
	if err != nil {
		return false, fmt.Errorf("while saving %s %s: %w", c.coll.Name(), id, err)
	}
	return matched, nil
}
