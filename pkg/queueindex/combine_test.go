package queueindex_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/queueindex"
)

// heldDocs counts the writes of each document and holds the first write
// until released, so that the test knows other writers are waiting.
type heldDocs struct {
	queueindex.Docs
	release chan struct{}
	entered chan struct{}
	first   sync.Once
	mu      sync.Mutex
	writes  map[string]int
}

func (h *heldDocs) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[queueindex.Doc]) error) (queueindex.Doc, error) {
	h.first.Do(func() { close(h.entered); <-h.release })
	h.mu.Lock()
	h.writes[id]++
	h.mu.Unlock()
	return h.Docs.Update(ctx, id, opts, decide)
}

// Concurrent writers of one bucket share writes: while one write of the
// bucket is under way the others' entries gather and go in the next, and
// every entry put is in the queue, and every entry removed gone, however
// the writes were combined.
func TestConcurrentWritesOfABucketAreCombined(t *testing.T) {
	t.Parallel()
	base := newIndex(t)
	docs := &heldDocs{Docs: base.Docs, release: make(chan struct{}), entered: make(chan struct{}), writes: map[string]int{}}
	ix := &queueindex.Index{Docs: docs}
	ctx := testkit.Ctx(t, 60*time.Second)
	const n = 50
	placed := make([]queueindex.Placed, n)
	for i := range placed {
		id := fmt.Sprintf("item-%03d", i)
		placed[i] = queueindex.Placed{Queue: "q", Entry: queueindex.Entry{
			ID: id, Key: queueindex.Key(day0.Add(time.Duration(i)*time.Minute), id), Attrs: map[string]string{"state": "open"},
		}}
	}
	bucket := "q/20261126" // the week of day0, as buckets are named
	run := func(f func(p queueindex.Placed) error) {
		var wg sync.WaitGroup
		var failed atomic.Int32
		wg.Go(func() {
			if err := f(placed[0]); err != nil {
				t.Error(err)
			}
		})
		<-docs.entered // the first write is held: the others gather behind it
		for _, p := range placed[1:] {
			wg.Go(func() {
				if err := f(p); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			})
		}
		if !waitFor(func() bool { return ix.Gathered(bucket) == n-1 }) {
			t.Fatalf("%d writers gathered, want %d", ix.Gathered(bucket), n-1)
		}
		docs.release <- struct{}{}
		wg.Wait()
	}
	run(func(p queueindex.Placed) error { return ix.Put(ctx, p) })
	if got := readAll(t, ix, queueindex.Query{Limit: 100}); len(got) != n {
		t.Fatalf("%d entries in the queue after %d concurrent puts", len(got), n)
	}
	docs.mu.Lock()
	if w := docs.writes[bucket]; w != 2 {
		t.Errorf("%d writes of the bucket for %d concurrent puts, want 2 (the held one, then the rest together)", w, n)
	}
	docs.mu.Unlock()

	docs.first, docs.entered = sync.Once{}, make(chan struct{})
	run(func(p queueindex.Placed) error { return ix.Remove(ctx, p) })
	if got := readAll(t, ix, queueindex.Query{Limit: 100}); len(got) != 0 {
		t.Fatalf("%d entries left after removing all concurrently", len(got))
	}
	dir, err := base.Docs.Get(ctx, "q")
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Days) != 0 {
		t.Errorf("emptied day still listed: %v", dir.Days)
	}
}

// waitFor polls cond for up to 10 s.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// countedDocs counts the writes of each document.
type countedDocs struct {
	queueindex.Docs
	mu     sync.Mutex
	writes map[string]int
}

func (c *countedDocs) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[queueindex.Doc]) error) (queueindex.Doc, error) {
	c.mu.Lock()
	c.writes[id]++
	c.mu.Unlock()
	return c.Docs.Update(ctx, id, opts, decide)
}

// The only writer of an index lists a day in the directory once, not at
// every write of the day's bucket; a day emptied and unlisted is listed
// again when an entry comes back to it.
func TestAnOnlyWriterListsADayOnce(t *testing.T) {
	t.Parallel()
	docs := &countedDocs{Docs: newIndex(t).Docs, writes: map[string]int{}}
	ix := &queueindex.Index{Docs: docs, OnlyWriter: true}
	ctx := testkit.Ctx(t, 20*time.Second)
	a, b := item(1, "open"), item(2, "open")
	for _, p := range []queueindex.Placed{a, b} {
		if err := ix.Put(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if w := docs.writes["q"]; w != 1 {
		t.Errorf("the directory was written (or read to be) %d times for two entries of one day, want 1", w)
	}
	for round := range 2 {
		if err := ix.Remove(ctx, a, b); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, ix, queueindex.Query{Limit: 10}); len(got) != 0 {
			t.Fatalf("round %d: left after removing both: %v", round, got)
		}
		if err := ix.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, ix, queueindex.Query{Limit: 10}); len(got) != 1 || got[0] != a.Entry.ID {
			t.Fatalf("round %d: after putting one back: %v", round, got)
		}
		if err := ix.Put(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
}
