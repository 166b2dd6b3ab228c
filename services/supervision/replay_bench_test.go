package supervision_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/embeddedtest"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/services/supervision"
)

// BenchmarkReplay rebuilds the case files from an event log of 200
// disputes' lifecycles (1,400 events; FENGQIAO_BENCH_REPLAY_DISPUTES sets
// another number) on the embedded broker and store, and reports the events
// replayed per second and per second of this process's CPU (the broker and
// the store run in it too): on a shared machine the second says what a
// replay costs, the first also how busy the machine was.
func BenchmarkReplay(b *testing.B) {
	disputes := 200
	if n, err := strconv.Atoi(os.Getenv("FENGQIAO_BENCH_REPLAY_DISPUTES")); err == nil && n > 0 {
		disputes = n
	}
	benchmarkReplay(b, disputes)
}

// BenchmarkReplayMillion is BenchmarkReplay from a log of 1,000,006 events
// (142,858 disputes), run only with FENGQIAO_BENCH_REPLAY_MILLION=1:
// publishing the log alone takes minutes.
func BenchmarkReplayMillion(b *testing.B) {
	if os.Getenv("FENGQIAO_BENCH_REPLAY_MILLION") != "1" {
		b.Skip("set FENGQIAO_BENCH_REPLAY_MILLION=1 to replay a million events")
	}
	benchmarkReplay(b, 142_858)
}

func benchmarkReplay(b *testing.B, disputes int) {
	stack := embeddedtest.Start(b)
	cfg := config.Common{KafkaBrokers: stack.Brokers, MongoURI: stack.MongoURI, MongoDatabase: "bench", TopicPartitions: 3, TopicReplication: 1}
	logged := publishLog(b, cfg, disputes)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("FENGQIAO_BENCH_VERBOSE") == "1" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	ctx := context.Background()
	var replayed int
	start, cpuStart := time.Now(), processCPU(b)
	for b.Loop() {
		st, err := supervision.Replay(ctx, cfg, log)
		if err != nil || st.Read != logged {
			b.Fatalf("Replay() = %+v, %v; want %d read", st, err, logged)
		}
		replayed += st.Read
	}
	cpu := processCPU(b) - cpuStart
	b.ReportMetric(float64(replayed)/time.Since(start).Seconds(), "events/s")
	b.ReportMetric(float64(replayed)/cpu.Seconds(), "events/cpu-s")
}

// publishLog publishes the lifecycles of disputes on the internal topics,
// a few thousand at a time, and returns how many events it published.
func publishLog(b *testing.B, cfg config.Common, disputes int) int {
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
	published := 0
	var batch []messaging.Message
	for i := range disputes {
		// A busy county's week is about 2,000 disputes: the obligations
		// index keeps a queue's week in one document, which holds a
		// week's share of the log, not the whole log.
		at := t0.Add(time.Duration(i) * 5 * time.Minute)
		batch = append(batch, lifecycleFrom(b, fmt.Sprintf("dsp-%06d", i), at)...)
		if len(batch) >= 7_000 || i == disputes-1 {
			if err := producer.Publish(ctx, batch...); err != nil {
				b.Fatal(err)
			}
			published += len(batch)
			batch = batch[:0]
		}
	}
	return published
}

// processCPU is the CPU time this process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
