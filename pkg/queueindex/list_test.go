package queueindex_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/queueindex"
)

func TestNarrows(t *testing.T) {
	attrs := map[string]string{"unit": "gc-1", "state": "awaiting"}
	for _, tc := range []struct {
		want map[string]string
		ok   bool
	}{
		{nil, true},
		{map[string]string{"unit": "", "state": ""}, true},
		{map[string]string{"unit": "gc-1"}, true},
		{map[string]string{"unit": "gc-1", "state": "awaiting"}, true},
		{map[string]string{"unit": "gc-2"}, false},
		{map[string]string{"unit": "gc-1", "state": "signed"}, false},
		{map[string]string{"assignee": "S7"}, false},
	} {
		if got := queueindex.Narrows(attrs, tc.want); got != tc.ok {
			t.Errorf("Narrows(%v, %v) = %v, want %v", attrs, tc.want, got, tc.ok)
		}
	}
}

func TestQueueNamesAndBounds(t *testing.T) {
	if got := queueindex.Name("copies", "622901", "unit", "gc-1", "awaiting"); got != "copies/622901/unit/gc-1/awaiting" {
		t.Errorf("Name: %q", got)
	}
	got := queueindex.PerState([]string{"a", "b"}, func(s string) string { return queueindex.Name("q", s) })
	if !slices.Equal(got, []string{"q/a", "q/b"}) {
		t.Errorf("PerState: %v", got)
	}
	from, before := day0, day0.Add(24*time.Hour)
	for _, tc := range []struct {
		from, before *time.Time
		want         queueindex.Query
	}{
		{nil, nil, queueindex.Query{Limit: 5}},
		{&from, nil, queueindex.Query{Limit: 5, From: queueindex.KeyBound(from)}},
		{nil, &before, queueindex.Query{Limit: 5, Before: queueindex.KeyBound(before)}},
		{&from, &before, queueindex.Query{Limit: 5, From: queueindex.KeyBound(from), Before: queueindex.KeyBound(before)}},
	} {
		if q := (queueindex.Query{Limit: 5}).Within(tc.from, tc.before); q.From != tc.want.From || q.Before != tc.want.Before || q.Limit != 5 {
			t.Errorf("Within(%v, %v) = %+v, want %+v", tc.from, tc.before, q, tc.want)
		}
	}
}

// part is an aggregate with two parts, each queued by its own state.
type part struct {
	ID     string
	States [2]string
}

func placeParts(p part) []queueindex.Placed {
	var out []queueindex.Placed
	for i, s := range p.States {
		id := p.ID + "/" + string(rune('a'+i))
		out = append(out, queueindex.Placed{Queue: "parts/" + s, Entry: queueindex.Entry{
			ID: id, Key: queueindex.Key(day0.Add(time.Duration(i)*time.Hour), id), Attrs: map[string]string{"state": s},
		}})
	}
	return out
}

// A page names only what its aggregates, as stored, still place so: an
// entry that lags a write, or whose aggregate is gone, is left out, and
// an aggregate with several entries on the page is read once.
func TestAListingKeepsWhatTheStoredAggregatesPlace(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	stored := map[string]part{
		"p1": {ID: "p1", States: [2]string{"open", "open"}},
		"p2": {ID: "p2", States: [2]string{"open", "done"}},
	}
	// p2's second part was open when queued; p3 is queued but gone.
	was := part{ID: "p2", States: [2]string{"open", "open"}}
	var puts []queueindex.Placed
	for _, p := range []part{stored["p1"], was, {ID: "p3", States: [2]string{"open", "open"}}} {
		puts = append(puts, placeParts(p)...)
	}
	if err := ix.Put(ctx, puts...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var reads []string
	l := queueindex.Listing[part]{
		Index: ix,
		Get: func(_ context.Context, id string) (part, error) {
			mu.Lock()
			reads = append(reads, id)
			mu.Unlock()
			p, ok := stored[id]
			if !ok {
				return part{}, docstore.ErrNotFound
			}
			return p, nil
		},
		Place: placeParts,
		Owner: func(id string) string { owner, _, _ := strings.Cut(id, "/"); return owner },
	}
	page, next, err := l.Page(ctx, []string{"parts/open"}, queueindex.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range page {
		got = append(got, p.Item.ID+":"+p.Entry.ID)
	}
	if want := []string{"p1:p1/a", "p2:p2/a", "p1:p1/b"}; !slices.Equal(got, want) || next != "" {
		t.Errorf("page %v (next %q), want %v", got, next, want)
	}
	slices.Sort(reads)
	if !slices.Equal(reads, []string{"p1", "p2", "p3"}) {
		t.Errorf("read %v, want each aggregate once", reads)
	}
	if _, _, err := (queueindex.Listing[part]{}).Page(ctx, []string{"parts/open"}, queueindex.Query{Limit: 10}); !errors.Is(err, queueindex.ErrNoIndex) {
		t.Errorf("without an index: %v", err)
	}
}
