package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/trace/noop"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
)

// On FerretDB the relay reads a whole collection only after a stop that
// may have left events unpublished: a crash, or a write announced after
// the relay stopped. A clean stop is followed by a start that reads no
// document of the collection.
func TestTheRelaySweepsOnlyAfterAStopThatLeftEventsBehind(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	ctx := testkit.Ctx(t, 2*wait)
	c := messaging.Cluster{Brokers: stack.Brokers, Partitions: 3, Replication: 1}
	if err := messaging.EnsureTopics(ctx, c, events.TopicDisputes); err != nil {
		t.Fatal(err)
	}
	p, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })

	// sweeps counts the queries of the collection: with nothing
	// announced, every one is a sweep.
	var sweeps atomic.Int64
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName == "find" && e.Command.Lookup("find").StringValue() == "disputes" {
			sweeps.Add(1)
		}
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(stack.MongoURI).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	mc := client.Database(testkit.Mongo(t, stack.MongoURI).Name()).Collection("disputes")
	h := &relayHarness{coll: docstore.New[dispute](mc, nil)}

	// start opens a relay over the collection and runs it; stop stops it,
	// cleanly (Close) or as a crash would.
	start := func(t *testing.T) (relay *outbox.Relay, stop func(clean bool)) {
		relay = outbox.NewRelay(p, 50*time.Millisecond, noop.NewTracerProvider(), slog.New(slog.NewTextHandler(testWriter{t}, nil)))
		relay.Watch(mc)
		sweeps.Store(0)
		if err := relay.Open(ctx); err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- relay.Run(runCtx) }()
		return relay, func(clean bool) {
			cancel()
			<-done
			if clean {
				if err := relay.Close(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	writeAs := func(t *testing.T, relay *outbox.Relay, id string) {
		coll := docstore.New[dispute](mc, nil)
		if relay != nil {
			coll = coll.NotifyPending(relay.Pending)
		}
		(&relayHarness{coll: coll}).advance(t, ctx, id, 1)
	}

	_, stop := start(t)
	if sweeps.Load() == 0 {
		t.Fatal("the first start on a store did not sweep")
	}
	writeAs(t, nil, "d-crash") // written, then the process died before announcing it
	stop(false)

	relay, stop := start(t)
	if sweeps.Load() == 0 {
		t.Fatal("a start after a crash did not sweep")
	}
	testkit.Eventually(t, wait, "the event the crash left is published", h.drained(t, "d-crash"))
	writeAs(t, relay, "d-announced")
	testkit.Eventually(t, wait, "the announced event is published", h.drained(t, "d-announced"))
	stop(true)

	relay, stop = start(t)
	if n := sweeps.Load(); n != 0 {
		t.Fatalf("a start after a clean stop read the collection %d times", n)
	}
	stop(true)
	writeAs(t, relay, "d-late") // a writer still finishing after the relay stopped

	_, stop = start(t)
	defer stop(true)
	if sweeps.Load() == 0 {
		t.Fatal("a start after a write announced to a stopped relay did not sweep")
	}
	testkit.Eventually(t, wait, "the late event is published", h.drained(t, "d-late"))
	if got := fmt.Sprint(testkit.Count(t, stack.Brokers, events.TopicDisputes)); got != "3" {
		t.Errorf("%s events on the topic, want 3", got)
	}
}
