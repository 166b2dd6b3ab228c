package messaging_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
)

// BenchmarkPublishConsume measures messages through the real broker: each
// op publishes a batch of 100 events of 10 disputes on a 3-partition topic
// and waits until a consumer group member has handled and committed them
// all (one commit per message, as the package promises). msgs/s is the
// end-to-end rate.
func BenchmarkPublishConsume(b *testing.B) {
	stack := testkit.Stack(b)
	c := messaging.Cluster{Brokers: stack.Brokers, Partitions: 3, Replication: 1}
	const topic = "bench.publish-consume"
	testkit.CreateTopics(b, stack.Brokers, 3, topic)
	p, err := messaging.NewProducer(c)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	handled := make(chan struct{}, 1024)
	consumer, err := messaging.NewConsumer(c, handles("bench.PublishConsume", topic, func(context.Context, messaging.Event) error {
		handled <- struct{}{}
		return nil
	}), p, messaging.ConsumerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- consumer.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })

	const batch = 100
	msgs := make([]kafka.Message, batch)
	for i := range msgs {
		msgs[i] = testkit.Message(topic, testkit.Event(fmt.Sprintf("d-%d", i%10), i))
	}
	roundTrip := func() {
		if err := p.Publish(ctx, msgs...); err != nil {
			b.Fatal(err)
		}
		timeout := time.After(30 * time.Second)
		for range batch {
			select {
			case <-handled:
			case <-timeout:
				b.Fatal("the batch was not consumed within 30 s")
			}
		}
	}
	roundTrip() // the group has joined and the topic metadata is cached
	start, n := time.Now(), 0
	for b.Loop() {
		roundTrip()
		n += batch
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
}
