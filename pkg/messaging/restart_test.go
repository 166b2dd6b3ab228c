package messaging_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// restartable is a broker that keeps its data directory and address across
// a stop and start, as a broker pod restarted on its volume does.
type restartable struct {
	t      *testing.T
	dir    string
	addr   string
	broker *embedded.Broker
}

func startRestartable(t *testing.T) *restartable {
	t.Helper()
	r := &restartable{t: t, dir: t.TempDir(), addr: "127.0.0.1:0"}
	r.start()
	r.addr = r.broker.Addrs[0]
	t.Cleanup(func() { _ = r.broker.Close() })
	return r
}

func (r *restartable) start() {
	r.t.Helper()
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{Dir: r.dir, Addr: r.addr})
	if err != nil {
		r.t.Fatal(err)
	}
	r.broker = b
}

// outage stops the broker for d, then starts it again on the same data.
func (r *restartable) outage(d time.Duration) {
	r.t.Helper()
	_ = r.broker.Close()
	time.Sleep(d) // the outage itself, not a wait for a condition
	r.start()
}

// A member of a group reading several topics catches up with every
// partition of every topic after the broker was down longer than the
// group's session timeout, in the middle of a stream: it must not stop
// short, silently, on some partitions while the others reach lag 0.
func TestGroupOfSeveralTopicsCatchesUpAfterBrokerOutage(t *testing.T) {
	testkit.SkipShort(t)
	const (
		partitions = 3
		perBatch   = 60 // per topic, before and after the outage
		outageFor  = 12 * time.Second
	)
	b := startRestartable(t)
	brokers := []string{b.addr}
	c := messaging.Cluster{Brokers: brokers, Partitions: partitions, Replication: 1}
	producer, err := messaging.NewProducer(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = producer.Close() })
	topics := []string{"test.several.a", "test.several.b", "test.several.c"}
	testkit.CreateTopics(t, brokers, partitions, topics...)
	name := group(t)

	publish := func(batch int) {
		for _, topic := range topics {
			var ms []kafka.Message
			for i := range perBatch {
				ms = append(ms, msgs(topic, fmt.Sprintf("d-%d-%d", batch, i), 1)...)
			}
			if err := producer.Publish(testkit.Ctx(t, 2*wait), ms...); err != nil {
				t.Fatalf("Publish batch %d to %s: %v", batch, topic, err)
			}
		}
	}
	publish(1)

	seen := &recorder{}
	sub := messaging.Subscription{Name: name, Topics: topics, Handlers: map[string]messaging.HandlerFunc{
		events.TypeDisputeReopened: func(_ context.Context, ev messaging.Event) error {
			seen.add(ev)
			time.Sleep(20 * time.Millisecond) // keeps the stream going when the broker stops
			return nil
		},
	}}
	consumer, err := messaging.NewConsumer(c, sub, producer, messaging.ConsumerOptions{
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: testLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- consumer.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	testkit.Eventually(t, wait, "the stream under way", func() bool { return seen.len() >= perBatch/2 })
	b.outage(outageFor)
	publish(2)

	var behind string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last seen: %s", behind)
		}
	})
	testkit.Eventually(t, 4*wait, "every partition of every topic committed to its end", func() bool {
		for _, topic := range topics {
			committed := testkit.Committed(t, brokers, name, topic)
			var sum int64
			for _, off := range committed {
				sum += max(off, 0) // -1: nothing committed yet
			}
			if sum != 2*perBatch {
				behind = fmt.Sprintf("%s committed %v, %d of %d records", topic, committed, sum, 2*perBatch)
				return false
			}
		}
		return true
	})
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}
