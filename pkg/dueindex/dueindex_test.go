package dueindex

import (
	"context"
	"slices"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// entries is an in-memory docstore.Documents, for the index's rules alone
// (the store's part is docstore's, tested on the real store).
type entries struct {
	docs  map[string]Entry
	reads int
}

func (e *entries) Get(_ context.Context, id string) (Entry, error) {
	e.reads++
	d, ok := e.docs[id]
	if !ok {
		return Entry{}, docstore.ErrNotFound
	}
	return d, nil
}

func (e *entries) Update(_ context.Context, id string, _ docstore.Options, decide func(*docstore.Change[Entry]) error) (Entry, error) {
	d, ok := e.docs[id]
	ch := &docstore.Change[Entry]{State: Entry{Items: slices.Clone(d.Items), IDs: slices.Clone(d.IDs), Cursor: d.Cursor}, Exists: ok}
	if err := decide(ch); err == docstore.ErrNoChange {
		return d, nil
	} else if err != nil {
		return d, err
	}
	e.docs[id] = ch.State
	return ch.State, nil
}

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

func sweep(t *testing.T, x *Index, now time.Time) []string {
	t.Helper()
	ids, advance, err := x.Due(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := advance(context.Background()); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func TestASweepFindsWhatCameDueSinceTheLastOne(t *testing.T) {
	ctx := context.Background()
	store := &entries{docs: map[string]Entry{}}
	x := New(store)
	if err := x.Begin(ctx, t0); err != nil {
		t.Fatal(err)
	}
	file := func(id string, at, now time.Time) {
		if err := x.File(ctx, id, at, now); err != nil {
			t.Fatal(err)
		}
	}
	file("in-an-hour", t0.Add(time.Hour), t0)
	file("tomorrow", t0.Add(25*time.Hour), t0)
	file("already-due", t0.Add(-48*time.Hour), t0)
	file("in-a-minute", t0.Add(time.Minute), t0)
	file("in-a-minute", t0.Add(time.Minute), t0) // filed twice, found once

	for _, step := range []struct {
		now  time.Time
		want []string
	}{
		{t0, []string{"already-due"}},
		// The last minute read is read again: IDs filed while a sweep
		// ran are not passed over, and the sweeper checks each.
		{t0.Add(30 * time.Second), []string{"already-due"}},
		{t0.Add(2 * time.Minute), []string{"already-due", "in-a-minute"}},
		{t0.Add(30 * time.Minute), []string{"in-a-minute"}},
		{t0.Add(2 * time.Hour), []string{"in-an-hour"}},
		{t0.Add(30 * time.Hour), []string{"tomorrow"}},
		{t0.Add(40 * time.Hour), nil},
	} {
		if got := sweep(t, x, step.now); !slices.Equal(got, step.want) {
			t.Errorf("at %s: due %v, want %v", step.now.Sub(t0), got, step.want)
		}
	}
}

func TestAQuietSweepReadsAFewDocuments(t *testing.T) {
	ctx := context.Background()
	store := &entries{docs: map[string]Entry{}}
	x := New(store)
	if err := x.Begin(ctx, t0); err != nil {
		t.Fatal(err)
	}
	for i := range 10_000 {
		if err := x.File(ctx, string(rune('a'+i%26))+time.Duration(i).String(), t0.Add(time.Duration(i)*time.Minute+time.Hour*24*3), t0); err != nil {
			t.Fatal(err)
		}
	}
	sweep(t, x, t0.Add(time.Minute))
	store.reads = 0
	if due := sweep(t, x, t0.Add(2*time.Minute)); len(due) != 0 || store.reads > 4 {
		t.Fatalf("a sweep with nothing due found %d and read %d documents", len(due), store.reads)
	}
}

func TestAnIndexNeverBegunReadsTheLastMinute(t *testing.T) {
	ctx := context.Background()
	x := New(&entries{docs: map[string]Entry{}})
	if err := x.File(ctx, "a", t0.Add(-time.Hour), t0); err != nil {
		t.Fatal(err)
	}
	if got := sweep(t, x, t0.Add(time.Second)); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("due %v", got)
	}
}
