package dueindex

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
)

type deadline struct {
	NextCheckAt time.Time `bson:"next_check_at"`
}

// BenchmarkIdleSweep is one tick of a deadline sweep with nothing due, with
// 100 and 10,000 documents stored whose deadlines are all to come, on the
// embedded store (FerretDB on SQLite): the query the sweeps made
// (next_check_at <= now) against reading the due index. It reports the
// CPU of this process (the store runs in it) per tick.
func BenchmarkIdleSweep(b *testing.B) {
	testkit.SkipShort(b)
	ctx := context.Background()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for _, stored := range []int{100, 10_000} {
		db := testkit.Mongo(b, store.URI)
		docs := docstore.New[deadline](db.Collection("slips"), nil)
		index := New(docstore.New[Entry](db.Collection("due"), nil))
		if err := index.Begin(ctx, now); err != nil {
			b.Fatal(err)
		}
		fill(b, docs, index, stored, now)
		b.Run(fmt.Sprintf("query/stored=%d", stored), func(b *testing.B) {
			perTick(b, func() {
				if _, err := docs.Find(ctx, bson.D{{Key: "next_check_at", Value: bson.D{{Key: "$lte", Value: now}}}}); err != nil {
					b.Fatal(err)
				}
			})
		})
		b.Run(fmt.Sprintf("index/stored=%d", stored), func(b *testing.B) {
			perTick(b, func() {
				ids, advance, err := index.Due(ctx, now)
				if err != nil || len(ids) != 0 {
					b.Fatalf("Due: %v, %v", ids, err)
				}
				if err := advance(ctx); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// fill stores n documents due over the next days, each filed in the index.
func fill(b *testing.B, docs *docstore.Collection[deadline], index *Index, n int, now time.Time) {
	ctx := context.Background()
	batch := make([]any, 0, 1000)
	for i := range n {
		due := now.Add(time.Hour + time.Duration(i)*37*time.Second)
		batch = append(batch, docstore.Record[deadline]{ID: fmt.Sprint("slip-", i), Version: 1, State: deadline{due}, Applied: []string{}, CreatedAt: now, UpdatedAt: now})
		if err := index.File(ctx, fmt.Sprint("slip-", i), due, now); err != nil {
			b.Fatal(err)
		}
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := docs.Mongo().InsertMany(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

func perTick(b *testing.B, tick func()) {
	start := cpu(b)
	for b.Loop() {
		tick()
	}
	b.ReportMetric(float64((cpu(b)-start).Microseconds())/1000/float64(b.N), "cpu-ms/tick")
}

func cpu(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
