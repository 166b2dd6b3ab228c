package docstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// BenchmarkDocstoreUpdate measures version-checked updates (load, decide,
// conditional write) on the real FerretDB over TCP.
func BenchmarkDocstoreUpdate(b *testing.B) {
	inc := func(ch *docstore.Change[counter]) error { ch.State.N++; return nil }
	b.Run("distinct aggregates", func(b *testing.B) {
		c := benchCollection(b)
		ctx := context.Background()
		start, i := time.Now(), 0
		for b.Loop() {
			if _, err := c.Update(ctx, fmt.Sprintf("c-%d", i%64), docstore.Options{Create: true}, inc); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(i)/time.Since(start).Seconds(), "updates/s")
	})
	// Four writers of one aggregate: every lost race costs a reload.
	b.Run("one aggregate 4 writers", func(b *testing.B) {
		c := benchCollection(b)
		ctx := context.Background()
		if _, err := c.Update(ctx, "hot", docstore.Options{Create: true}, inc); err != nil {
			b.Fatal(err)
		}
		b.SetParallelism(2) // 2 × GOMAXPROCS (2 here) goroutines
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Update(ctx, "hot", docstore.Options{}, inc); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "updates/s")
	})
}

func benchCollection(b *testing.B) *docstore.Collection[counter] {
	b.Helper()
	return newCollectionTB(b)
}
