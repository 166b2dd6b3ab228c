package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.opentelemetry.io/otel/trace/noop"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
)

// batchRecorder is the real producer, remembering how many messages each
// Publish call carried.
type batchRecorder struct {
	*messaging.Producer
	mu      sync.Mutex
	batches []int
}

func (p *batchRecorder) Publish(ctx context.Context, msgs ...kafka.Message) error {
	p.mu.Lock()
	p.batches = append(p.batches, len(msgs))
	p.mu.Unlock()
	return p.Producer.Publish(ctx, msgs...)
}

// Entries nobody announced (written before a crash, or by another replica)
// are found by the sweep at start-up; entries of many documents go out in
// few Publish calls, each dispute's in order.
func TestRelaySweepsAtStartAndBatchesAcrossDocuments(t *testing.T) {
	t.Parallel()
	stack := testkit.Stack(t)
	ctx := testkit.Ctx(t, wait)
	mc := testkit.Mongo(t, stack.MongoURI).Collection("disputes")
	silent := docstore.New[dispute](mc, nil) // tells no relay: as if the process died after writing
	const docs, rounds = 30, 2
	want := map[string][]string{}
	for i := range docs {
		id := fmt.Sprintf("d-%d", i)
		for round := 1; round <= rounds; round++ {
			_, err := silent.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[dispute]) error {
				ch.State.Round = round
				e, err := outbox.New(ctx, "test", testkit.Event(id, round), time.Now())
				ch.Emit(e)
				want[id] = append(want[id][:round-1], e.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	c := messaging.Cluster{Brokers: stack.Brokers, Partitions: 3, Replication: 1}
	if err := messaging.EnsureTopics(ctx, c, events.TopicDisputes); err != nil {
		t.Fatal(err)
	}
	p, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	pub := &batchRecorder{Producer: p}
	relay := outbox.NewRelay(pub, 50*time.Millisecond, noop.NewTracerProvider(), slog.New(slog.NewTextHandler(testWriter{t}, nil)))
	relay.Watch(mc)
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(runCtx) }()
	t.Cleanup(func() { cancel(); <-done })

	h := &relayHarness{coll: silent}
	ids := make([]string, 0, docs)
	for id := range want {
		ids = append(ids, id)
	}
	testkit.Eventually(t, wait, "every outbox drained by the start-up sweep", h.drained(t, ids...))
	msgs := testkit.Read(t, stack.Brokers, events.TopicDisputes, docs*rounds, wait)
	got := map[string][]string{}
	for _, m := range msgs {
		got[string(m.Key)] = append(got[string(m.Key)], testkit.Header(m, cloudevents.HeaderID))
	}
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			t.Errorf("%s: published %v, want %v in order", id, got[id], w)
		}
	}
	pub.mu.Lock()
	defer pub.mu.Unlock()
	if len(pub.batches) >= docs {
		t.Errorf("%d Publish calls for %d documents (%v), want them batched", len(pub.batches), docs, pub.batches)
	}
}
