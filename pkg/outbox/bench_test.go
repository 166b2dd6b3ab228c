package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/trace/noop"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/outbox"
)

// BenchmarkRelayIdle is the relay's cost with nothing to publish, over a
// collection of 1,000 documents whose entries were all published: each op is
// 100 ms of idleness. It reports the store commands the relay sends per
// idle second (the polling relay sent one full-collection query per
// interval) and the CPU time the whole process (relay, broker and the
// in-process FerretDB) spends per idle second.
func BenchmarkRelayIdle(b *testing.B) {
	stack := testkit.Stack(b)
	var commands atomic.Int64
	monitor := &event.CommandMonitor{Started: func(context.Context, *event.CommandStartedEvent) { commands.Add(1) }}
	client, err := mongo.Connect(options.Client().ApplyURI(stack.MongoURI).SetMonitor(monitor))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	mc := client.Database(fmt.Sprintf("idle%d", time.Now().UnixNano())).Collection("disputes")
	coll := docstore.New[dispute](mc, nil)
	ctx := context.Background()
	for i := range 1000 {
		if _, err := coll.Update(ctx, fmt.Sprintf("d-%d", i), docstore.Options{Create: true}, func(ch *docstore.Change[dispute]) error {
			ch.State.Round = 1
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	p, err := messaging.NewProducer(messaging.Cluster{Brokers: stack.Brokers, Partitions: 3, Replication: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	relay := outbox.NewRelay(p, time.Second, noop.NewTracerProvider(), slog.New(slog.DiscardHandler))
	relay.Watch(mc)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- relay.Run(runCtx) }()
	b.Cleanup(func() { cancel(); <-done })
	time.Sleep(500 * time.Millisecond) // past the start-up sweep

	commands.Store(0)
	cpu0 := cpuTime()
	start := time.Now()
	for b.Loop() {
		time.Sleep(100 * time.Millisecond)
	}
	idle := time.Since(start).Seconds()
	b.ReportMetric(float64(commands.Load())/idle, "store-commands/idle-s")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/idle, "cpu-ms/idle-s")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
