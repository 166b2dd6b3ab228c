package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/internal/dutycycle"
	"fengqiao.dev/pkg/internal/wait"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/telemetry"
)

// Publisher is what the relay needs of a Kafka producer.
type Publisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) error
}

// Relay publishes the pending outbox entries of some collections.
//
// It learns which documents have pending entries from the writes
// themselves: docstore tells it (Pending) the collection and ID of every
// document a write added entries to. Idle, it waits and costs nothing; it
// never polls the store. It looks for pending entries itself only to
// recover entries left by a crash between a write and its publication, or
// by another replica. On MongoDB it sweeps at start-up and every
// sweepInterval, served by the partial index on pending (docstore's
// EnsureIndexes). On FerretDB, where a sweep reads every document of the
// collection, it sweeps a collection only at a start after a relay stopped
// without publishing everything (marks.go). A document that could not be
// published (messageFault) is tried again every sweepInterval.
//
// Announced documents are published in batches: one Publish call carries
// the entries of up to maxBatchDocs documents, each document's in order,
// so a burst of writes costs one round trip to the broker, not one each.
type Relay struct {
	collections []*mongo.Collection
	pub         Publisher
	interval    time.Duration
	sweepEvery  time.Duration
	tracer      trace.Tracer
	log         *slog.Logger
	nudge       chan struct{}
	wake        chan struct{}
	metrics     atomic.Pointer[telemetry.Metrics]

	mu     sync.Mutex
	queue  []docRef
	queued map[string]bool
	// faulted are the documents whose last publication failed for a
	// reason of their own (messageFault), by key.
	faulted map[string]docRef

	openMu sync.Mutex
	opened atomic.Bool
	closed atomic.Bool
	// indexed are the watched collections swept periodically (MongoDB);
	// marked, those recovered by their marks (FerretDB). Set by Open.
	indexed, marked []*mongo.Collection
}

// docRef names one document with pending entries.
type docRef struct {
	coll *mongo.Collection
	id   string
}

func (d docRef) key() string {
	return d.coll.Database().Name() + "." + d.coll.Name() + "\x00" + d.id
}

// maxBatchDocs bounds the documents of one Publish call.
const maxBatchDocs = 100

// DefaultSweepInterval is how often the relay looks for pending entries no
// write of this process announced.
const DefaultSweepInterval = 5 * time.Minute

// NewRelay builds a relay. interval is the wait before trying again after a
// publication failed for want of the broker.
func NewRelay(pub Publisher, interval time.Duration, tp trace.TracerProvider, log *slog.Logger) *Relay {
	return &Relay{
		pub: pub, interval: interval, sweepEvery: DefaultSweepInterval, log: log,
		tracer: tp.Tracer("fengqiao.dev/pkg/outbox"),
		nudge:  make(chan struct{}, 1), wake: make(chan struct{}, 1),
		queued: map[string]bool{}, faulted: map[string]docRef{},
	}
}

// SetSweepInterval sets how often the relay sweeps the watched collections
// for pending entries nobody announced. Call it before Run.
func (r *Relay) SetSweepInterval(d time.Duration) {
	if d > 0 {
		r.sweepEvery = d
	}
}

// Watch adds collections whose documents carry an outbox, for the sweeps.
// Call it before Run.
func (r *Relay) Watch(collections ...*mongo.Collection) {
	r.collections = append(r.collections, collections...)
}

// Pending tells the relay that document id of coll has new outbox entries;
// docstore calls it after every such write (Collection.NotifyPending), so
// an event is published within milliseconds.
func (r *Relay) Pending(coll *mongo.Collection, id string) {
	r.enqueue(docRef{coll, id})
	// After enqueue: a Close that did not see the entry queued has set
	// closed by now, so the mark is opened again.
	if r.closed.Load() {
		r.reopen()
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Nudge asks the relay to sweep the watched collections for pending entries
// now. Writers that can say which document they wrote call Pending instead.
func (r *Relay) Nudge() {
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

func (r *Relay) enqueue(refs ...docRef) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range refs {
		if k := d.key(); !r.queued[k] {
			r.queued[k] = true
			r.queue = append(r.queue, d)
		}
	}
}

// take removes up to n documents from the queue, oldest first. A document
// announced again while it is being published is queued again, so entries
// added meanwhile are not missed.
func (r *Relay) take(n int) []docRef {
	r.mu.Lock()
	defer r.mu.Unlock()
	n = min(n, len(r.queue))
	batch := slices.Clone(r.queue[:n])
	r.queue = slices.Delete(r.queue, 0, n)
	for _, d := range batch {
		delete(r.queued, d.key())
	}
	return batch
}

// Run publishes until ctx is cancelled. It opens the relay first if Open
// was not called.
func (r *Relay) Run(ctx context.Context) error {
	for !r.opened.Load() {
		err := r.Open(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		r.log.Warn("outbox relay: cannot look for events a crash left; trying again", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.interval):
		}
	}
	sweeps := time.NewTimer(r.sweepEvery)
	defer sweeps.Stop()
	var retry <-chan time.Time
	for ctx.Err() == nil {
		if retry == nil {
			if batch := r.take(maxBatchDocs); len(batch) > 0 {
				if err := r.publishBatch(ctx, batch); err != nil && ctx.Err() == nil {
					r.log.Warn("outbox relay: pending events not yet published", "documents", len(batch), "err", err)
					retry = time.After(r.interval)
				}
				continue
			}
		}
		wake := r.wake
		if retry != nil { // the broker is away: new writes wait for the retry
			wake = nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-retry:
			retry = nil
		case <-sweeps.C:
			r.requeueFaulted()
			sweeps.Reset(r.timedSweep(ctx, r.indexed))
		case <-r.nudge:
			r.sweep(ctx, r.collections)
		}
	}
	return nil
}

// timedSweep sweeps collections and returns the wait before the next
// periodic sweep: a slow sweep stretches the wait to bound its share of
// the machine (package dutycycle).
func (r *Relay) timedSweep(ctx context.Context, collections []*mongo.Collection) time.Duration {
	if len(collections) == 0 {
		return r.sweepEvery
	}
	start := time.Now()
	r.sweep(ctx, collections)
	took := time.Since(start)
	wait := dutycycle.Wait(r.sweepEvery, took)
	if dutycycle.Stretched(r.sweepEvery, took, wait) {
		r.log.Warn("outbox relay: the sweep for unannounced events is slow; sweeping less often to bound its cost",
			"took", took.Round(time.Millisecond), "interval", r.sweepEvery, "next_in", wait.Round(time.Second))
	}
	return wait
}

// sweep queues every document of collections that has pending entries.
func (r *Relay) sweep(ctx context.Context, collections []*mongo.Collection) {
	for _, c := range collections {
		if err := r.sweepCollection(ctx, c); err != nil && ctx.Err() == nil {
			r.log.Warn("outbox relay: cannot look for pending events", "collection", c.Name(), "err", err)
		}
	}
}

func (r *Relay) sweepCollection(ctx context.Context, c *mongo.Collection) error {
	cur, err := c.Find(ctx, bson.D{{Key: FieldPending, Value: bson.D{{Key: "$gt", Value: 0}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("while finding pending events: %w", err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("while reading pending events: %w", err)
	}
	for _, d := range docs {
		r.enqueue(docRef{c, d.ID})
	}
	return nil
}

type pendingDoc struct {
	ID      string  `bson:"_id"`
	Version int64   `bson:"version"`
	Outbox  []Entry `bson:"outbox"`
	// HandoffTrace is FieldHandoffTrace: the last handoff published.
	HandoffTrace string `bson:"handoff_trace,omitempty"`
	// stamp is the document's doclock.Stamp before it was read.
	stamp uint64
}

// loadedDoc is a document to publish, read by _id.
type loadedDoc struct {
	coll *mongo.Collection
	pendingDoc
}

// publishBatch publishes the pending entries of the documents of batch in
// one Publish call and removes the published ones from each document.
//
// A document whose publication failed for a reason of its own (an entry
// too large, a topic that cannot be created or that the service may not
// write, see messageFault) is left pending, logged, and retried only at
// the next sweep, so that one bad document does not hold back every other
// dispute's events. When such a failure is reported for the whole call
// rather than per message, the documents are published one by one to find
// the culprit. Documents that failed for any other reason (the broker
// unreachable) are queued again and an error is returned, so Run waits
// before trying again.
func (r *Relay) publishBatch(ctx context.Context, batch []docRef) error {
	docs, err := r.load(ctx, batch)
	if err != nil {
		r.enqueue(batch...)
		return err
	}
	if len(docs) == 0 {
		return nil
	}
	results, whole := r.publish(ctx, docs)
	if whole != nil && messageFault(whole) && len(docs) > 1 {
		results = make([]error, len(docs))
		for i, d := range docs {
			res, w := r.publish(ctx, []loadedDoc{d})
			results[i] = errors.Join(w, res[0])
		}
	}
	var retry []error
	for i, d := range docs {
		switch err := results[i]; {
		case err == nil:
		case messageFault(err):
			r.log.Error("outbox relay: document cannot be published; left pending until the next sweep",
				"collection", d.coll.Name(), "id", d.ID, "pending", len(d.Outbox), "err", err)
			r.setFaulted(docRef{d.coll, d.ID})
		default:
			r.enqueue(docRef{d.coll, d.ID})
			retry = append(retry, fmt.Errorf("%s %s: %w", d.coll.Name(), d.ID, err))
		}
	}
	return errors.Join(retry...)
}

// load reads the documents of batch by _id, a lookup by key on every store
// (FerretDB's SQLite backend included: it evaluates no other filter
// without decoding the collection); documents without pending entries are
// left out. The reads run concurrently (storeParallelism at a time): one
// after the other, a batch of a hundred documents waited a hundred round
// trips, and the relay, which publishes for the whole service, fell behind
// its writers as soon as a round trip took a few milliseconds.
func (r *Relay) load(ctx context.Context, batch []docRef) ([]loadedDoc, error) {
	loaded := make([]*loadedDoc, len(batch))
	errs := make([]error, len(batch))
	forEach(len(batch), func(i int) {
		ref := batch[i]
		d := pendingDoc{stamp: doclock.Stamp(ref.coll, ref.id)}
		err := ref.coll.FindOne(ctx, bson.D{{Key: "_id", Value: ref.id}},
			options.FindOne().SetProjection(bson.D{{Key: FieldVersion, Value: 1}, {Key: FieldOutbox, Value: 1}, {Key: FieldHandoffTrace, Value: 1}})).Decode(&d)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
		case err != nil:
			errs[i] = fmt.Errorf("while reading pending events of %s %s: %w", ref.coll.Name(), ref.id, err)
		case len(d.Outbox) > 0:
			loaded[i] = &loadedDoc{ref.coll, d}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	docs := make([]loadedDoc, 0, len(batch))
	for _, d := range loaded {
		if d != nil {
			docs = append(docs, *d)
		}
	}
	return docs, nil
}

// storeParallelism bounds the store operations of one batch in flight at
// once.
const storeParallelism = 16

// forEach runs f(0) … f(n-1), storeParallelism at a time, and returns when
// all have.
func forEach(n int, f func(i int)) {
	slots := make(chan struct{}, storeParallelism)
	var wg sync.WaitGroup
	for i := range n {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			f(i)
		})
	}
	wg.Wait()
}

// messageFault reports whether a publish failed because of the messages
// themselves rather than the broker's availability: kafka-go's
// non-retriable broker errors (MESSAGE_TOO_LARGE, INVALID_TOPIC_EXCEPTION,
// TOPIC_AUTHORIZATION_FAILED, ...) and its client-side size check.
func messageFault(err error) bool {
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) || errors.Is(err, messaging.ErrMessageTooLarge) {
		return true
	}
	var werrs kafka.WriteErrors // no Unwrap in kafka-go: look inside
	if errors.As(err, &werrs) {
		for _, e := range werrs {
			if e != nil && messageFault(e) {
				return true
			}
		}
		return false
	}
	var kerr kafka.Error
	return errors.As(err, &kerr) && !kerr.Temporary() && !brokerAway(kerr)
}

// brokerAway reports the errors of a broker that is stopping, starting or
// failing, which kafka-go does not count as temporary although they say
// nothing about the messages: BROKER_NOT_AVAILABLE (answered, to the topic
// creation before a publish among others, by a broker shutting down or not
// yet serving), REPLICA_NOT_AVAILABLE, KAFKA_STORAGE_ERROR (Kafka's log
// directory failing) and UNKNOWN_SERVER_ERROR (the embedded broker's answer
// when it cannot write its segment, its disk full). Taken for message
// faults, they left every document published at that moment pending until
// the next sweep, minutes later. The price: a message that made a broker
// fail unexpectedly every time would be retried with back-off instead of
// set aside; none is known, and the broker logs it.
func brokerAway(err kafka.Error) bool {
	switch err {
	case kafka.BrokerNotAvailable, kafka.ReplicaNotAvailable, kafka.KafkaStorageError, kafka.Unknown:
		return true
	}
	return false
}

// publish publishes the entries of docs in one call and removes the
// published ones. results[i] is docs[i]'s failure, if any; whole is the
// call's error when the broker reported none per message.
func (r *Relay) publish(ctx context.Context, docs []loadedDoc) (results []error, whole error) {
	// A batch once started is finished even when the service is stopping:
	// an entry published but not yet marked sent would be published again
	// at the next start.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	defer cancel()
	var msgs []kafka.Message
	var spans []handoffSpans
	for _, d := range docs {
		previous := spanContextOf(d.HandoffTrace)
		for _, e := range d.Outbox {
			msgs = append(msgs, e.Message())
			s := r.startHandoff(ctx, e, &msgs[len(msgs)-1], previous)
			spans = append(spans, s)
			previous = s.handoff.SpanContext()
		}
	}
	err := r.pub.Publish(ctx, msgs...)
	var werrs kafka.WriteErrors
	partial := errors.As(err, &werrs) && len(werrs) == len(msgs)
	if err != nil && !partial {
		whole = err
	}
	// Entries written while others failed are removed too, or every retry
	// would publish them again; but of one dispute's entries on one topic
	// (one partition, in order) only those before the first failure, so
	// that what stays pending is always the tail of the sequence, across
	// all the documents of the batch.
	held := map[string]bool{} // topic + dispute with an earlier failure
	results = make([]error, len(docs))
	removals := make([]func() error, len(docs))
	i := 0
	for k, d := range docs {
		sent := make(map[string]bool, len(d.Outbox))
		handoffTrace := d.HandoffTrace
		var failed []error
		for _, e := range d.Outbox {
			seq := e.Topic + "\x00" + e.Subject
			var msgErr error
			if partial {
				msgErr = werrs[i]
			} else {
				msgErr = err
			}
			if msgErr == nil && !held[seq] {
				sent[e.ID] = true
				handoffTrace = traceParent(spans[i].handoff.SpanContext())
				r.published(ctx, spans[i])
			}
			if msgErr != nil {
				held[seq] = true
				failed = append(failed, msgErr)
				spans[i].send.RecordError(msgErr)
				spans[i].send.SetStatus(codes.Error, "publish failed; will retry")
			}
			spans[i].end()
			i++
		}
		if len(failed) > 0 {
			results[k] = firstFault(failed)
		}
		if len(sent) > 0 {
			removals[k] = func() error { return removeSent(ctx, d.coll, d.pendingDoc, sent, handoffTrace) }
		}
	}
	// Each document's removal is a write of its own, independent of the
	// others': they run concurrently, like the loads.
	forEach(len(docs), func(k int) {
		if removals[k] != nil {
			results[k] = errors.Join(results[k], removals[k]())
		}
	})
	return results, whole
}

// firstFault is the failure to report for a document: a message fault if
// any (the document cannot be published as it is), else the first error.
func firstFault(errs []error) error {
	for _, err := range errs {
		if messageFault(err) {
			return err
		}
	}
	return errs[0]
}

// batchTimeout bounds the publication of one batch.
const batchTimeout = 15 * time.Second

// removeSent takes the published entries out of the document. On FerretDB
// it re-reads and writes the document by _id under the document's lock
// (see tryRemove) and cannot lose to a writer of this process. On MongoDB
// the write is conditioned on the version, and a concurrent write makes it
// re-read and try again after a random delay growing to 50 ms: retrying at
// once, the relay lost every round to a busy aggregate's writers, gave up,
// and published the entries again.
func removeSent(ctx context.Context, c *mongo.Collection, d pendingDoc, sent map[string]bool, handoffTrace string) error {
	for attempt := 0; attempt < 20; attempt++ {
		if attempt > 0 && !wait.Jittered(ctx, attempt, 50*time.Millisecond) {
			return ctx.Err()
		}
		done, err := tryRemove(ctx, c, &d, sent, handoffTrace, attempt > 0)
		if err != nil || done {
			return err
		}
	}
	return errors.New("outbox: too many concurrent writes while marking events sent")
}

func tryRemove(ctx context.Context, c *mongo.Collection, d *pendingDoc, sent map[string]bool, handoffTrace string, reread bool) (bool, error) {
	atomic, err := doclock.Atomic(ctx, c)
	if err != nil {
		return false, fmt.Errorf("while marking events sent: %w", err)
	}
	if !atomic {
		// FerretDB: under the lock, write by _id alone (see
		// pkg/internal/doclock): atomic for every writer of this process
		// and a lookup by key, not a scan of the collection. The document
		// is read again first unless the lock's stamp shows that no
		// writer of this process has written it since it was read for
		// publishing: then what was read is what is stored, and the
		// second read of every document published is saved. A write of
		// unknown outcome may land after its writer let go of the lock,
		// without moving the stamp: for a while after one, read again.
		unlock := doclock.Lock(c, d.ID)
		defer unlock()
		reread = reread || doclock.Stamp(c, d.ID) != d.stamp || doclock.Uncertain(c, d.ID)
	}
	if reread {
		var fresh pendingDoc // not *d: decoding into a used value may keep stale entries
		if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: d.ID}}).Decode(&fresh); err != nil {
			return false, fmt.Errorf("while re-reading %s: %w", d.ID, err)
		}
		*d = fresh
	}
	rest := make([]Entry, 0, len(d.Outbox))
	for _, e := range d.Outbox {
		if !sent[e.ID] {
			rest = append(rest, e)
		}
	}
	// The store's own version-checked write (docstore's save makes the
	// same call): by _id under the lock, else {_id, version}.
	matched, err := doclock.SetAtVersion(ctx, c, d.ID, d.Version, !atomic, bson.D{
		{Key: FieldOutbox, Value: rest}, {Key: FieldPending, Value: len(rest)}, {Key: FieldHandoffTrace, Value: handoffTrace},
	})
	if err != nil {
		return false, fmt.Errorf("while marking events sent: %w", err)
	}
	return matched, nil
}

// Open prepares the relay before the service's writers start: on each
// watched collection it sweeps for pending entries where a crash may have
// left some (every start on MongoDB; on FerretDB only after a relay did
// not stop cleanly, see marks.go), and marks the collection open, so that
// a crash from now on is followed by a sweep. Run calls it if need be.
func (r *Relay) Open(ctx context.Context) error {
	r.openMu.Lock()
	defer r.openMu.Unlock()
	if r.opened.Load() {
		return nil
	}
	var indexed, marked []*mongo.Collection
	for _, c := range r.collections {
		atomic, err := doclock.Atomic(ctx, c)
		if err != nil {
			return fmt.Errorf("cannot open the outbox relay: %w", err)
		}
		if atomic {
			indexed = append(indexed, c)
			if err := r.sweepCollection(ctx, c); err != nil {
				return err
			}
			continue
		}
		marked = append(marked, c)
		if err := r.recover(ctx, c); err != nil {
			return err
		}
	}
	r.indexed, r.marked = indexed, marked
	r.opened.Store(true)
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return nil
}

// recover sweeps c if its mark does not say the last relay stopped with
// everything published, then marks it open.
func (r *Relay) recover(ctx context.Context, c *mongo.Collection) error {
	mark, found, err := readMark(ctx, c)
	if err != nil {
		return err
	}
	if !found || mark.Open {
		if found {
			r.log.Info("outbox relay: the last relay did not stop cleanly; looking for events it left", "collection", c.Name(), "since", mark.At)
		}
		if err := r.sweepCollection(ctx, c); err != nil {
			return err
		}
	}
	return writeMark(ctx, c, true)
}

// Close marks the watched collections closed when nothing is left to
// publish, so the next start need not sweep them; anything left (a queue
// not drained, a document that could not be published, a write of unknown
// outcome that may still land) keeps them open for the next start's sweep. Call it after Run returned and every writer
// stopped.
func (r *Relay) Close(ctx context.Context) error {
	r.openMu.Lock()
	defer r.openMu.Unlock()
	r.closed.Store(true)
	if !r.opened.Load() {
		return nil
	}
	r.mu.Lock()
	left, faulted := len(r.queue), len(r.faulted)
	r.mu.Unlock()
	uncertain := doclock.AnyUncertain()
	if left > 0 || faulted > 0 || uncertain {
		r.log.Info("outbox relay: stopping with events not yet published; the next start looks for them",
			"queued", left, "faulted", faulted, "write_may_still_land", uncertain)
		return nil
	}
	var errs []error
	for _, c := range r.marked {
		errs = append(errs, writeMark(ctx, c, false))
	}
	return errors.Join(errs...)
}

// reopen marks the collections open again for a write announced after
// Close, which no relay of this process will publish: the next start must
// look for it.
func (r *Relay) reopen() {
	r.openMu.Lock()
	defer r.openMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, c := range r.marked {
		if err := writeMark(ctx, c, true); err != nil {
			r.log.Error("outbox relay: an event written after the relay stopped may wait for a crash's sweep", "err", err)
		}
	}
}

// setFaulted remembers a document that could not be published, to try it
// again at the next periodic tick.
func (r *Relay) setFaulted(d docRef) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faulted[d.key()] = d
}

// requeueFaulted queues again the documents that could not be published.
func (r *Relay) requeueFaulted() {
	r.mu.Lock()
	refs := make([]docRef, 0, len(r.faulted))
	for _, d := range r.faulted {
		refs = append(refs, d)
	}
	clear(r.faulted)
	r.mu.Unlock()
	r.enqueue(refs...)
}
