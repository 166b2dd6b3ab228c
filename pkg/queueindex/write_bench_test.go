//go:build unix

package queueindex_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"syscall"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/queueindex"
)

// BenchmarkWriteIntoAWeek is one write (a new entry put) into a queue's
// week that already holds 100, 10,000 or 100,000 entries, against the
// store in this process: its decoding and encoding of the documents
// written count in the CPU (cpu-ns/op: the process's user and system time)
// and in the bytes allocated. The week is stored as a bucket written
// before buckets had pages, so the same benchmark runs on code without
// them; the first write, before the timing, pages it.
func BenchmarkWriteIntoAWeek(b *testing.B) {
	for _, n := range []int{100, 10_000, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			ix := newIndex(b)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			week := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			entry := func(i int) queueindex.Entry {
				id := fmt.Sprintf("d-622901-2026-%07d", i)
				at := week.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour))))
				return queueindex.Entry{ID: id, Key: queueindex.Key(at, id), Attrs: map[string]string{
					"state": "registered", "station": "pcs-chengbei", "category": "neighbourhood",
				}}
			}
			packed := make([]string, n)
			for i := range packed {
				e := entry(i)
				attrs := url.Values{}
				for k, v := range e.Attrs {
					attrs.Set(k, v)
				}
				packed[i] = e.Key + "\n" + attrs.Encode()
			}
			slices.Sort(packed)
			if _, err := ix.Docs.Update(ctx, "q/20261126", docstore.Options{Create: true}, func(ch *docstore.Change[queueindex.Doc]) error {
				ch.State = queueindex.Doc{Entries: packed}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			next := n
			put := func() {
				if err := ix.Put(ctx, queueindex.Placed{Queue: "q", Entry: entry(next)}); err != nil {
					b.Fatal(err)
				}
				next++
			}
			put() // lists the day, and pages the bucket where buckets have pages
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				put()
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
