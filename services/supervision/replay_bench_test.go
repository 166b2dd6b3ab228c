package supervision_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/supervision"
)

// BenchmarkReplay rebuilds the case files from an event log of 200
// disputes' lifecycles (1,400 events; FENGQIAO_BENCH_REPLAY_DISPUTES sets
// another number) on the embedded broker and store, and reports the events
// replayed per second.
func BenchmarkReplay(b *testing.B) {
	disputes := 200
	if n, err := strconv.Atoi(os.Getenv("FENGQIAO_BENCH_REPLAY_DISPUTES")); err == nil && n > 0 {
		disputes = n
	}
	stack := embeddedtest.Start(b)
	cfg := config.Common{KafkaBrokers: stack.Brokers, MongoURI: stack.MongoURI, MongoDatabase: "bench", TopicPartitions: 3, TopicReplication: 1}
	cluster := messaging.ClusterFromConfig(cfg)
	ctx := context.Background()
	if err := messaging.EnsureTopics(ctx, cluster, events.InternalTopics()...); err != nil {
		b.Fatal(err)
	}
	producer, err := messaging.NewProducer(cluster)
	if err != nil {
		b.Fatal(err)
	}
	defer producer.Close()
	var log []kafka.Message
	for i := range disputes {
		log = append(log, lifecycle(b, fmt.Sprintf("dsp-%06d", i))...)
	}
	if err := producer.Publish(ctx, log...); err != nil {
		b.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var replayed int
	start := time.Now()
	for b.Loop() {
		st, err := supervision.Replay(ctx, cfg, quiet)
		if err != nil || st.Read != len(log) {
			b.Fatalf("Replay() = %+v, %v; want %d read", st, err, len(log))
		}
		replayed += st.Read
	}
	b.ReportMetric(float64(replayed)/time.Since(start).Seconds(), "events/s")
}
