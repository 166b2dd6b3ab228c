package outbox_test

// The relay on the real FerretDB and the real broker, both over TCP:
// pending entries are published in order and then removed, the trace goes
// on, and nothing accepted is lost while Kafka is down.

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.mongodb.org/mongo-driver/v2/bson"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
)

const wait = 20 * time.Second

type dispute struct {
	Round int `bson:"round"`
}

// countingPublisher is the real producer, counting failed publishes so a
// test can tell that the relay tried while the broker was down.
type countingPublisher struct {
	*messaging.Producer
	failures atomic.Int32
}

func (p *countingPublisher) Publish(ctx context.Context, msgs ...kafka.Message) error {
	err := p.Producer.Publish(ctx, msgs...)
	if err != nil {
		p.failures.Add(1)
	}
	return err
}

type relayHarness struct {
	relay   *outbox.Relay
	brokers []string
	coll    *docstore.Collection[dispute]
	pub     *countingPublisher
}

// startRelay runs a relay over a fresh collection of the store at mongoURI,
// publishing to brokers; t.Cleanup stops it before the clients close.
func startRelay(t *testing.T, brokers []string, mongoURI string, tp trace.TracerProvider) *relayHarness {
	t.Helper()
	c := messaging.Cluster{Brokers: brokers, Partitions: 3, Replication: 1}
	if err := messaging.EnsureTopics(testkit.Ctx(t, wait), c, events.TopicDisputes); err != nil {
		t.Fatal(err)
	}
	p, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	pub := &countingPublisher{Producer: p}
	relay := outbox.NewRelay(pub, 50*time.Millisecond, tp, slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	mc := testkit.Mongo(t, mongoURI).Collection("disputes")
	coll := docstore.New[dispute](mc, nil).NotifyPending(relay.Pending)
	relay.Watch(mc)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay.Run: %v", err)
		}
	})
	return &relayHarness{relay: relay, brokers: brokers, coll: coll, pub: pub}
}

// advance moves dispute id to the next round and emits one event per
// round passed, in a context carrying span.
func (h *relayHarness) advance(t *testing.T, ctx context.Context, id string, rounds int) []outbox.Entry {
	t.Helper()
	var emitted []outbox.Entry
	_, err := h.coll.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[dispute]) error {
		emitted = emitted[:0]
		for range rounds {
			ch.State.Round++
			e, err := outbox.New(ctx, "test", testkit.Event(id, ch.State.Round), time.Now())
			if err != nil {
				return err
			}
			emitted = append(emitted, e)
		}
		ch.Emit(emitted...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return emitted
}

func (h *relayHarness) record(t *testing.T, id string) docstore.Record[dispute] {
	t.Helper()
	var rec docstore.Record[dispute]
	if err := h.coll.Mongo().FindOne(testkit.Ctx(t, wait), bson.D{{Key: "_id", Value: id}}).Decode(&rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func (h *relayHarness) drained(t *testing.T, ids ...string) func() bool {
	return func() bool {
		for _, id := range ids {
			if rec := h.record(t, id); rec.Pending != 0 || len(rec.Outbox) != 0 {
				return false
			}
		}
		return true
	}
}

// published returns the event IDs on topic for dispute, in offset order,
// once at least n are there.
func published(t *testing.T, brokers []string, dispute string, n, total int) []string {
	t.Helper()
	var ids []string
	for _, m := range testkit.Read(t, brokers, events.TopicDisputes, total, wait) {
		if string(m.Key) == dispute {
			ids = append(ids, testkit.Header(m, cloudevents.HeaderID))
		}
	}
	if len(ids) < n {
		t.Fatalf("%d events of %s published, want %d", len(ids), dispute, n)
	}
	return ids
}

func ids(entries ...[]outbox.Entry) []string {
	var out []string
	for _, es := range entries {
		for _, e := range es {
			out = append(out, e.ID)
		}
	}
	return out
}

func TestRelayPublishesInOrderThenRemoves(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	h := startRelay(t, stack.Brokers, stack.MongoURI, tp)
	ctx, request := tp.Tracer("test").Start(context.Background(), "POST /v1/disputes")
	defer request.End()

	// Several writes, several entries each, for two disputes.
	var want []outbox.Entry
	for range 3 {
		want = append(want, h.advance(t, ctx, "d-1", 2)...)
		h.advance(t, context.Background(), "d-2", 1)
	}
	testkit.Eventually(t, wait, "both outboxes drained", h.drained(t, "d-1", "d-2"))

	msgs := testkit.Read(t, stack.Brokers, events.TopicDisputes, 9, wait)
	var got []kafka.Message
	for _, m := range msgs {
		if string(m.Key) == "d-1" {
			got = append(got, m)
		}
	}
	if gotIDs := idsOf(got); !slices.Equal(gotIDs, ids(want)) {
		t.Fatalf("published d-1 events %v, want %v in order", gotIDs, ids(want))
	}
	for i, m := range got {
		env, err := cloudevents.Parse(m.Headers)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if env.Type != events.TypeDisputeReopened || env.Subject != "d-1" || env.CountyCode != testkit.County || env.Source != events.Source("test") {
			t.Errorf("message %d envelope %+v", i, env)
		}
		p, err := events.Decode(env.Type, m.Value)
		if err != nil || p.(*events.DisputeReopened).Round != i+1 {
			t.Errorf("message %d payload %s (%v), want round %d", i, m.Value, err, i+1)
		}
		// The stored trace parent goes on: same trace as the request, and
		// the message's parent is the relay's send span, child of the
		// handoff span, child of the request.
		tp := testkit.Header(m, "traceparent")
		if want := request.SpanContext().TraceID().String(); len(tp) < 35 || tp[3:35] != want {
			t.Errorf("message %d traceparent %q is not in the request's trace %s", i, tp, want)
		}
	}
	var sends int
	parents := map[trace.SpanID]trace.SpanID{}
	for _, s := range sr.Ended() {
		parents[s.SpanContext().SpanID()] = s.Parent().SpanID()
	}
	for _, s := range sr.Ended() {
		if s.SpanKind() == trace.SpanKindProducer && s.SpanContext().TraceID() == request.SpanContext().TraceID() {
			sends++
			if parents[s.Parent().SpanID()] != request.SpanContext().SpanID() {
				t.Errorf("send span %s is not the grandchild of the request span (through its handoff span)", s.Name())
			}
		}
	}
	if sends != len(want) {
		t.Errorf("%d send spans in the request's trace, want %d", sends, len(want))
	}
	rec := h.record(t, "d-1")
	// 3 writes, then 1 to 3 removals: the relay may find several at once.
	if rec.State.Round != 6 || rec.Version < 4 || rec.Version > 6 {
		t.Errorf("after relay: round %d, version %d; want 6 and 4..6", rec.State.Round, rec.Version)
	}
}

// Writers and the relay race on the same documents: every entry is
// published and removed, no state change is lost.
func TestRelayRacesWriters(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	h := startRelay(t, stack.Brokers, stack.MongoURI, noop.NewTracerProvider())
	const writers, writes = 6, 5
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range writes {
				h.advance(t, context.Background(), "d-1", 1)
			}
		})
	}
	wg.Wait()
	testkit.Eventually(t, wait, "the outbox drained", h.drained(t, "d-1"))
	total := testkit.Count(t, stack.Brokers, events.TopicDisputes)
	if total > writers*writes {
		// Legitimate (consumers dedupe by ID), but it should be rare.
		t.Logf("%d duplicates published under contention", total-writers*writes)
	}
	got := published(t, stack.Brokers, "d-1", writers*writes, total)
	if rec := h.record(t, "d-1"); rec.State.Round != writers*writes {
		t.Fatalf("round %d, want %d", rec.State.Round, writers*writes)
	}
	seen := map[string]bool{}
	for _, id := range got {
		seen[id] = true
	}
	if len(seen) != writers*writes {
		t.Fatalf("%d distinct events published, want %d", len(seen), writers*writes)
	}
	// Entry IDs are UUIDv7 made in round order by serialised writes; the
	// first publication of each must come in that order.
	var firsts []string
	for _, id := range got {
		if !slices.Contains(firsts, id) {
			firsts = append(firsts, id)
		}
	}
	if !slices.IsSorted(firsts) {
		t.Errorf("events published out of order: %v", got)
	}
}

// Nothing accepted is lost when Kafka is down: writes go on, entries stay
// pending while the relay fails, and are published once the broker is back.
func TestRelayOutlivesBrokerOutage(t *testing.T) {
	t.Parallel()
	testkit.SkipShort(t)
	ctx := testkit.Ctx(t, time.Minute)
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	kafkaDir := t.TempDir()
	broker, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Dir: kafkaDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = broker.Close() })
	addr := broker.Addrs[0]
	h := startRelay(t, broker.Addrs, store.URI, noop.NewTracerProvider())

	before := h.advance(t, ctx, "d-1", 1)
	testkit.Eventually(t, wait, "the first event published", h.drained(t, "d-1"))

	if err := broker.Close(); err != nil {
		t.Fatal(err)
	}
	var during [][]outbox.Entry
	for range 3 {
		during = append(during, h.advance(t, ctx, "d-1", 1)) // accepted: the store is up
	}
	failures := h.pub.failures.Load()
	testkit.Eventually(t, wait, "the relay failing to publish", func() bool { return h.pub.failures.Load() >= failures+2 })
	if rec := h.record(t, "d-1"); rec.Pending != 3 || len(rec.Outbox) != 3 || !slices.Equal(ids(rec.Outbox), ids(during...)) {
		t.Fatalf("with the broker down: pending %d, outbox %v; want the 3 new entries", rec.Pending, ids(rec.Outbox))
	}

	restarted, err := embedded.StartBroker(ctx, embedded.BrokerOptions{Dir: kafkaDir, Addr: addr})
	if err != nil {
		t.Fatalf("restarting the broker on %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = restarted.Close() })
	testkit.Eventually(t, wait, "the pending events published after the outage", h.drained(t, "d-1"))
	got := published(t, restarted.Addrs, "d-1", 4, 4)
	if want := ids(append([][]outbox.Entry{before}, during...)...); !slices.Equal(got, want) {
		t.Fatalf("published %v, want %v (the one before the outage, then the three during it)", got, want)
	}
}

func idsOf(msgs []kafka.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, testkit.Header(m, cloudevents.HeaderID))
	}
	return out
}

// A document that can never be published (here: an entry for a topic the
// broker refuses to create, as Kafka refuses a name that collides with an
// existing one but for "." and "_"; kfake checks no other naming rule)
// stays pending, loudly, and does not hold back the other disputes' events.
func TestRelaySkipsAnUnpublishableDocument(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	testkit.CreateTopics(t, stack.Brokers, 1, "test.collide.v1")
	h := startRelay(t, stack.Brokers, stack.MongoURI, noop.NewTracerProvider())
	ctx := testkit.Ctx(t, wait)
	_, err := h.coll.Update(ctx, "d-bad", docstore.Options{Create: true}, func(ch *docstore.Change[dispute]) error {
		e, err := outbox.NewOn(ctx, "test_collide_v1", "test", testkit.Event("d-bad", 1), time.Now())
		ch.Emit(e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	good := h.advance(t, ctx, "d-good", 1)
	testkit.Eventually(t, wait, "the good document drained", h.drained(t, "d-good"))
	if got := published(t, stack.Brokers, "d-good", 1, 1); !slices.Equal(got, ids(good)) {
		t.Fatalf("published %v, want %v", got, ids(good))
	}
	if rec := h.record(t, "d-bad"); rec.Pending != 1 {
		t.Fatalf("the unpublishable document has pending %d, want 1 (kept, not dropped)", rec.Pending)
	}
}

// testWriter sends the relay's log lines to t.Log (shown on failure or -v).
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	defer func() { _ = recover() }() // t.Log panics once the test is over
	w.t.Log(string(p))
	return len(p), nil
}
