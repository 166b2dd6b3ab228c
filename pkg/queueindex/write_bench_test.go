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
			w := storedWeek(b, n)
			w.put() // lists the day, and pages the bucket where buckets have pages
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				w.put()
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkReadAPageOfAWeek reads 50 entries from a random place in a week
// of 100,000, as a list's next page does.
func BenchmarkReadAPageOfAWeek(b *testing.B) {
	w := storedWeek(b, 100_000)
	w.put()
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		after := queueindex.KeyBound(w.start.Add(time.Duration(w.rng.Int64N(int64(6 * 24 * time.Hour)))))
		page, _, err := w.ix.Page(w.ctx, "q", queueindex.Query{After: after, Limit: 50})
		if err != nil || len(page) != 50 {
			b.Fatalf("%d entries, %v", len(page), err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// week is a queue's week of n entries, stored.
type week struct {
	b     *testing.B
	ix    *queueindex.Index
	ctx   context.Context
	start time.Time
	rng   *rand.Rand
	next  int
}

// storedWeek stores a week of n entries as a bucket written before buckets
// had pages.
func storedWeek(b *testing.B, n int) *week {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	b.Cleanup(cancel)
	w := &week{b: b, ix: newIndex(b), ctx: ctx, start: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		rng: rand.New(rand.NewPCG(uint64(n), 7)), next: n}
	packed := make([]string, n)
	for i := range packed {
		e := w.entry(i)
		attrs := url.Values{}
		for k, v := range e.Attrs {
			attrs.Set(k, v)
		}
		packed[i] = e.Key + "\n" + attrs.Encode()
	}
	slices.Sort(packed)
	if _, err := w.ix.Docs.Update(ctx, "q/20261126", docstore.Options{Create: true}, func(ch *docstore.Change[queueindex.Doc]) error {
		ch.State = queueindex.Doc{Entries: packed}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	return w
}

// entry i, due at a random time of the week.
func (w *week) entry(i int) queueindex.Entry {
	id := fmt.Sprintf("d-622901-2026-%07d", i)
	at := w.start.Add(time.Duration(w.rng.Int64N(int64(7 * 24 * time.Hour))))
	return queueindex.Entry{ID: id, Key: queueindex.Key(at, id), Attrs: map[string]string{
		"state": "registered", "station": "pcs-chengbei", "category": "neighbourhood",
	}}
}

// put puts a new entry.
func (w *week) put() {
	if err := w.ix.Put(w.ctx, queueindex.Placed{Queue: "q", Entry: w.entry(w.next)}); err != nil {
		w.b.Fatal(err)
	}
	w.next++
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
