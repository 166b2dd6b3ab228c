package queueindex_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/queueindex"
)

var storeURI string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	os.Exit(runWithStore(m))
}

func runWithStore(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fengqiao-queueindex-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer store.Close()
	storeURI = store.URI
	return m.Run()
}

func newIndex(t testing.TB) *queueindex.Index {
	t.Helper()
	testkit.SkipShort(t)
	db := testkit.Mongo(t, storeURI)
	return &queueindex.Index{Docs: docstore.New[queueindex.Doc](db.Collection("queues"), nil)}
}

var day0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// item i is due i hours after day0: four days' worth of buckets for 96.
func item(i int, state string) queueindex.Placed {
	id := fmt.Sprintf("item-%03d", i)
	return queueindex.Placed{Queue: "q", Entry: queueindex.Entry{
		ID: id, Key: queueindex.Key(day0.Add(time.Duration(i)*time.Hour), id), Attrs: map[string]string{"state": state},
	}}
}

func ids(es []queueindex.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func readAll(t *testing.T, ix *queueindex.Index, q queueindex.Query) []string {
	t.Helper()
	ctx := testkit.Ctx(t, 20*time.Second)
	var all []string
	for pages := 0; ; pages++ {
		page, next, err := ix.Page(ctx, "q", q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > q.Limit {
			t.Fatalf("a page of %d for a limit of %d", len(page), q.Limit)
		}
		all = append(all, ids(page)...)
		if next == "" {
			return all
		}
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		q.After = next
	}
}

func TestPagesInKeyOrderAcrossDays(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	var placed []queueindex.Placed
	for i := 95; i >= 0; i-- { // written out of order
		state := "open"
		if i%3 == 0 {
			state = "done"
		}
		placed = append(placed, item(i, state))
	}
	if err := ix.Put(ctx, placed...); err != nil {
		t.Fatal(err)
	}
	asc := readAll(t, ix, queueindex.Query{Limit: 7})
	if len(asc) != 96 || asc[0] != "item-000" || asc[95] != "item-095" {
		t.Fatalf("ascending: %d items, %v … %v", len(asc), asc[:1], asc[len(asc)-1:])
	}
	for i := 1; i < len(asc); i++ {
		if asc[i-1] >= asc[i] {
			t.Fatalf("out of order at %d: %s, %s", i, asc[i-1], asc[i])
		}
	}
	desc := readAll(t, ix, queueindex.Query{Limit: 10, Descending: true})
	if len(desc) != 96 || desc[0] != "item-095" {
		t.Fatalf("descending: %d items from %v", len(desc), desc[:1])
	}
	open := readAll(t, ix, queueindex.Query{Limit: 5, Match: func(e queueindex.Entry) bool { return e.Attrs["state"] == "open" }})
	if len(open) != 64 {
		t.Errorf("%d open items, want 64", len(open))
	}
	bounded := readAll(t, ix, queueindex.Query{Limit: 50,
		From: queueindex.KeyBound(day0.Add(24 * time.Hour)), Before: queueindex.KeyBound(day0.Add(48 * time.Hour))})
	if len(bounded) != 24 || bounded[0] != "item-024" || bounded[23] != "item-047" {
		t.Errorf("a day's items: %v", bounded)
	}
}

func TestSyncMovesAnItem(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	a, b := item(1, "open"), item(2, "open")
	if err := ix.Sync(ctx, nil, []queueindex.Placed{a, b}); err != nil {
		t.Fatal(err)
	}
	// a's state changes within its day, b moves three days on.
	a2, b2 := a, item(2+72, "open")
	a2.Entry.Attrs = map[string]string{"state": "done"}
	b2.Entry.ID = b.Entry.ID
	b2.Entry.Key = queueindex.Key(day0.Add(74*time.Hour), b.Entry.ID)
	if err := ix.Sync(ctx, []queueindex.Placed{a, b}, []queueindex.Placed{a2, b2}); err != nil {
		t.Fatal(err)
	}
	page, _, err := ix.Page(ctx, "q", queueindex.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].Attrs["state"] != "done" || page[1].Key != b2.Entry.Key {
		t.Fatalf("after the moves: %+v", page)
	}
	// Gone from the queue: its emptied day is no longer read.
	if err := ix.Sync(ctx, []queueindex.Placed{a2, b2}, nil); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, ix, queueindex.Query{Limit: 10}); len(got) != 0 {
		t.Fatalf("after removing both: %v", got)
	}
	dir, err := ix.Docs.Get(ctx, "q")
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Days) != 0 {
		t.Errorf("emptied days still listed: %v", dir.Days)
	}
}

// An item an aggregate no longer names leaves its queue even when the
// aggregate's state before the change gives it another key than the one
// it was filed under (a deadline recomputed since).
func TestSyncDropsAnItemFiledUnderAnotherKey(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	filed := item(1, "open")
	if err := ix.Sync(ctx, nil, []queueindex.Placed{filed}); err != nil {
		t.Fatal(err)
	}
	thought := filed
	thought.Entry.Key = queueindex.Key(day0.Add(2*time.Hour), filed.Entry.ID)
	if err := ix.Sync(ctx, []queueindex.Placed{thought}, nil); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, ix, queueindex.Query{Limit: 10}); len(got) != 0 {
		t.Fatalf("an item no longer named is still queued: %v", got)
	}
}

// A filter that matches nothing ends each page after a bounded read, with
// a cursor to go on from, rather than reading the whole queue at once.
func TestSparseFilterPagesAreBounded(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	var placed []queueindex.Placed
	for i := 0; i < 70*24; i += 12 { // ten weeks, two a day
		placed = append(placed, item(i, "open"))
	}
	if err := ix.Put(ctx, placed...); err != nil {
		t.Fatal(err)
	}
	none := func(queueindex.Entry) bool { return false }
	page, next, err := ix.Page(ctx, "q", queueindex.Query{Limit: 1, Match: none})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 0 || next == "" {
		t.Fatalf("first page: %d items, next %q", len(page), next)
	}
	if got := readAll(t, ix, queueindex.Query{Limit: 1, Match: none}); len(got) != 0 {
		t.Fatal(got)
	}
}

func TestCheckKey(t *testing.T) {
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{queueindex.Key(day0, "d-1"), true},
		{"", false},
		{"garbage", false},
		{"2026-12-01/d-1", false},
	} {
		if err := queueindex.CheckKey(tc.key); (err == nil) != tc.ok {
			t.Errorf("CheckKey(%q) = %v", tc.key, err)
		}
	}
}

// Queues kept per state read as one, in key order, page after page.
func TestMergedQueuesPageAsOne(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 20*time.Second)
	var placed []queueindex.Placed
	for i := range 96 {
		p := item(i, "")
		p.Queue = "q/open"
		if i%3 == 0 {
			p.Queue = "q/done"
		}
		placed = append(placed, p)
	}
	if err := ix.Put(ctx, placed...); err != nil {
		t.Fatal(err)
	}
	for _, desc := range []bool{false, true} {
		var all []string
		q := queueindex.Query{Limit: 7, Descending: desc}
		for pages := 0; pages < 100; pages++ {
			page, next, err := ix.PageMerged(ctx, []string{"q/open", "q/done"}, q)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, ids(page)...)
			if next == "" {
				break
			}
			q.After = next
		}
		if len(all) != 96 {
			t.Fatalf("descending %v: %d items", desc, len(all))
		}
		for i := 1; i < len(all); i++ {
			if (all[i-1] < all[i]) == desc {
				t.Fatalf("descending %v: out of order at %d: %v", desc, i, all)
			}
		}
	}
}
