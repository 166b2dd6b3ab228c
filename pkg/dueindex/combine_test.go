package dueindex

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// heldEntries is entries made safe for concurrent writers, counting the
// writes of each document and holding the first write of document held
// until released.
type heldEntries struct {
	mu      sync.Mutex
	inner   *entries
	writes  map[string]int
	held    string
	first   sync.Once
	entered chan struct{}
	release chan struct{}
}

func (h *heldEntries) Get(ctx context.Context, id string) (Entry, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.inner.Get(ctx, id)
}

func (h *heldEntries) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[Entry]) error) (Entry, error) {
	if id == h.held {
		h.first.Do(func() { close(h.entered); <-h.release })
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.writes[id]++
	return h.inner.Update(ctx, id, opts, decide)
}

// Documents due in the same second are filed in shared writes, and every
// one of them is found due.
func TestFilingsOfOneSecondShareWrites(t *testing.T) {
	ctx := context.Background()
	at := t0.Add(time.Hour)
	second := "s" + strconv.FormatInt(at.Unix(), 10)
	store := &heldEntries{inner: &entries{docs: map[string]Entry{}}, writes: map[string]int{}, held: second,
		entered: make(chan struct{}), release: make(chan struct{})}
	x := New(store)
	const n = 50
	var wg sync.WaitGroup
	file := func(i int) {
		wg.Go(func() {
			if err := x.File(ctx, fmt.Sprintf("id-%02d", i), at, t0); err != nil {
				t.Error(err)
			}
		})
	}
	file(0)
	<-store.entered // the first write of the second's document is held
	for i := 1; i < n; i++ {
		file(i)
	}
	for deadline := time.Now().Add(10 * time.Second); x.writes.Gathered(second) < n-1; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the filings did not gather behind the held write")
		}
	}
	close(store.release)
	wg.Wait()
	if w := store.writes[second]; w != 2 {
		t.Errorf("%d writes of the second's document for %d filings gathered together", w, n)
	}
	got := sweep(t, x, at.Add(time.Second))
	if len(got) != n || !slices.IsSorted(got) || got[0] != "id-00" || got[n-1] != fmt.Sprintf("id-%02d", n-1) {
		t.Fatalf("due: %v", got)
	}
}
