package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/internal/wait"
	"fengqiao.dev/pkg/telemetry"
)

// Publisher is what the relay needs of a Kafka producer.
type Publisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) error
}

// Relay publishes the pending outbox entries of some collections.
type Relay struct {
	collections []*mongo.Collection
	pub         Publisher
	interval    time.Duration
	tracer      trace.Tracer
	log         *slog.Logger
	nudge       chan struct{}
	metrics     atomic.Pointer[telemetry.Metrics]
}

// NewRelay builds a relay. interval is the polling period for entries no
// local write announced (left by a crashed process or another replica).
func NewRelay(pub Publisher, interval time.Duration, tp trace.TracerProvider, log *slog.Logger) *Relay {
	return &Relay{
		pub: pub, interval: interval, log: log,
		tracer: tp.Tracer("fengqiao.dev/pkg/outbox"), nudge: make(chan struct{}, 1),
	}
}

// Watch adds collections whose documents carry an outbox. Call it before Run.
func (r *Relay) Watch(collections ...*mongo.Collection) {
	r.collections = append(r.collections, collections...)
}

// Nudge asks the relay to look for pending entries now; writes call it after
// adding entries, so an event is published within milliseconds, not a poll.
func (r *Relay) Nudge() {
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

// Run publishes until ctx is cancelled.
func (r *Relay) Run(ctx context.Context) error {
	t := time.NewTicker(r.interval)
	defer t.Stop()
	for {
		for _, c := range r.collections {
			if err := r.drain(ctx, c); err != nil && ctx.Err() == nil {
				r.log.Warn("outbox relay: pending events not yet published", "collection", c.Name(), "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-r.nudge:
		}
	}
}

type pendingDoc struct {
	ID      string  `bson:"_id"`
	Version int64   `bson:"version"`
	Outbox  []Entry `bson:"outbox"`
	// HandoffTrace is FieldHandoffTrace: the last handoff published.
	HandoffTrace string `bson:"handoff_trace,omitempty"`
}

// drain publishes every pending document of c.
//
// A document whose publish fails for a reason of its own (an entry too
// large, a topic that cannot be created or that the service may not write,
// see messageFault) is left pending and skipped for the rest of this round,
// so that one bad document does not hold back every other dispute's events.
// Any other failure (the broker unreachable) ends the round.
func (r *Relay) drain(ctx context.Context, c *mongo.Collection) error {
	var skipped []string
	var faults []error
	for {
		filter := bson.D{{Key: FieldPending, Value: bson.D{{Key: "$gt", Value: 0}}}}
		if len(skipped) > 0 {
			filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$nin", Value: skipped}}})
		}
		cur, err := c.Find(ctx, filter,
			options.Find().SetLimit(100).SetProjection(bson.D{{Key: FieldVersion, Value: 1}, {Key: FieldOutbox, Value: 1}, {Key: FieldHandoffTrace, Value: 1}}))
		if err != nil {
			return fmt.Errorf("while finding pending events: %w", err)
		}
		var docs []pendingDoc
		if err := cur.All(ctx, &docs); err != nil {
			return fmt.Errorf("while reading pending events: %w", err)
		}
		for _, d := range docs {
			err := r.publish(ctx, c, d)
			if err != nil && !messageFault(err) {
				return errors.Join(append(faults, err)...)
			}
			if err != nil {
				r.log.Error("outbox relay: document cannot be published; skipping it this round",
					"collection", c.Name(), "id", d.ID, "pending", len(d.Outbox), "err", err)
				skipped = append(skipped, d.ID)
				faults = append(faults, fmt.Errorf("%s: %w", d.ID, err))
			}
		}
		if len(docs) < 100 {
			return errors.Join(faults...)
		}
	}
}

// messageFault reports whether a publish failed because of the messages
// themselves rather than the broker's availability: kafka-go's
// non-retriable broker errors (MESSAGE_TOO_LARGE, INVALID_TOPIC_EXCEPTION,
// TOPIC_AUTHORIZATION_FAILED, ...) and its client-side size check.
func messageFault(err error) bool {
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
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
	return errors.As(err, &kerr) && !kerr.Temporary()
}

func (r *Relay) publish(ctx context.Context, c *mongo.Collection, d pendingDoc) error {
	// A batch once started is finished even when the service is stopping:
	// an entry published but not yet marked sent would be published again
	// at the next start.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), batchTimeout)
	defer cancel()
	msgs := make([]kafka.Message, len(d.Outbox))
	spans := make([]handoffSpans, len(d.Outbox))
	previous := spanContextOf(d.HandoffTrace)
	for i, e := range d.Outbox {
		msgs[i] = e.Message()
		spans[i] = r.startHandoff(ctx, e, &msgs[i], previous)
		previous = spans[i].handoff.SpanContext()
	}
	err := r.pub.Publish(ctx, msgs...)
	var werrs kafka.WriteErrors
	partial := errors.As(err, &werrs) && len(werrs) == len(msgs)
	// Entries written while others failed are removed too, or every retry
	// would publish them again; but of one dispute's entries on one topic
	// (one partition, in order) only those before the first failure, so
	// that what stays pending is always the tail of the sequence.
	sent := make(map[string]bool, len(d.Outbox))
	held := map[string]bool{} // topic + dispute with an earlier failure
	handoffTrace := d.HandoffTrace
	for i, e := range d.Outbox {
		seq := e.Topic + "\x00" + e.Subject
		ok := err == nil || partial && werrs[i] == nil
		if ok && !held[seq] {
			sent[e.ID] = true
			handoffTrace = traceParent(spans[i].handoff.SpanContext())
			r.published(ctx, spans[i])
		}
		if !ok {
			held[seq] = true
			spans[i].send.RecordError(err)
			spans[i].send.SetStatus(codes.Error, "publish failed; will retry")
		}
		spans[i].end()
	}
	if len(sent) == 0 {
		return err
	}
	return errors.Join(err, removeSent(ctx, c, d, sent, handoffTrace))
}

// batchTimeout bounds the publication of one document's entries.
const batchTimeout = 15 * time.Second

// removeSent takes the published entries out of the document under its
// version, re-reading it when a concurrent write got there first. The
// re-read and the write hold the document's lock together, so no writer of
// this process can slip in between and the second attempt wins; writers in
// other processes (MongoDB only) are waited out with a random delay growing
// to 50 ms. Retrying at once, the relay lost every round to a busy
// aggregate's writers, gave up, and published the entries again.
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
	unlock := doclock.Lock(c, d.ID) // FerretDB's conditional update is not atomic
	defer unlock()
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
	res, err := c.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: d.ID}, {Key: FieldVersion, Value: d.Version}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: FieldOutbox, Value: rest}, {Key: FieldPending, Value: len(rest)},
			{Key: FieldVersion, Value: d.Version + 1}, {Key: FieldHandoffTrace, Value: handoffTrace},
		}}})
	if err != nil {
		return false, fmt.Errorf("while marking events sent: %w", err)
	}
	return res.MatchedCount == 1, nil
}
