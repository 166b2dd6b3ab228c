package queueindex_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/queueindex"
)

// week0 is the bucket of day0, as buckets are named.
const week0 = "q/20261126"

// smallPages makes an index whose pages split past about ten entries.
func smallPages(t *testing.T) *queueindex.Index {
	ix := newIndex(t)
	ix.SetPageBytes(1 << 10)
	return ix
}

// minute i of the week of day0 (which starts at 2026-11-26).
func inWeek(i int, state string) queueindex.Placed {
	id := fmt.Sprintf("item-%05d", i)
	return queueindex.Placed{Queue: "q", Entry: queueindex.Entry{
		ID: id, Key: queueindex.Key(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute), id),
		Attrs: map[string]string{"state": state},
	}}
}

func pagesOf(t *testing.T, ix *queueindex.Index) []string {
	t.Helper()
	b, err := ix.Docs.Get(testkit.Ctx(t, 10*time.Second), week0)
	if err != nil {
		t.Fatal(err)
	}
	return b.Pages
}

// wantIDs reads the queue in both directions, a few entries a page, and
// checks it holds exactly the items numbered want, in key order.
func wantIDs(t *testing.T, ix *queueindex.Index, want []int) {
	t.Helper()
	slices.Sort(want)
	var ids []string
	for _, i := range want {
		ids = append(ids, inWeek(i, "").Entry.ID)
	}
	if got := readAll(t, ix, queueindex.Query{Limit: 7}); !slices.Equal(got, ids) {
		t.Fatalf("ascending: %d items %v, want %d %v", len(got), short(got), len(ids), short(ids))
	}
	slices.Reverse(ids)
	if got := readAll(t, ix, queueindex.Query{Limit: 9, Descending: true}); !slices.Equal(got, ids) {
		t.Fatalf("descending: %d items %v, want %d %v", len(got), short(got), len(ids), short(ids))
	}
}

func short(s []string) []string {
	if len(s) > 6 {
		return append(append(slices.Clip(s[:3]), "…"), s[len(s)-3:]...)
	}
	return s
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// A bucket written before buckets had pages (its entries in its own
// document) is read as it is, and pages itself once it grows past the
// limit; every entry stays where a read finds it.
func TestAnUnpagedBucketGrowsIntoPages(t *testing.T) {
	t.Parallel()
	ix := newIndex(t)
	ctx := testkit.Ctx(t, 30*time.Second)
	var old []string
	for i := range 40 {
		e := inWeek(i*10, "open").Entry
		old = append(old, e.Key+"\nstate=open")
	}
	if _, err := ix.Docs.Update(ctx, week0, docstore.Options{Create: true}, func(ch *docstore.Change[queueindex.Doc]) error {
		ch.State = queueindex.Doc{Entries: old}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Docs.Update(ctx, "q", docstore.Options{Create: true}, func(ch *docstore.Change[queueindex.Doc]) error {
		ch.State = queueindex.Doc{Days: []string{"20261126"}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var want []int
	for i := range 40 {
		want = append(want, i*10)
	}
	wantIDs(t, ix, want)

	ix.SetPageBytes(1 << 10)
	if err := ix.Put(ctx, inWeek(5, "open")); err != nil {
		t.Fatal(err)
	}
	want = append(want, 5)
	pages := pagesOf(t, ix)
	if len(pages) < 3 {
		t.Fatalf("a bucket of 41 entries in pages of about 10: %d pages", len(pages))
	}
	b, _ := ix.Docs.Get(ctx, week0)
	if len(b.Entries) != 0 {
		t.Errorf("the paged bucket still holds %d entries itself", len(b.Entries))
	}
	wantIDs(t, ix, want)
	for i := 1; i < 400; i += 10 {
		if err := ix.Put(ctx, inWeek(i, "open")); err != nil {
			t.Fatal(err)
		}
		want = append(want, i)
	}
	wantIDs(t, ix, want)
	if n := len(pagesOf(t, ix)); n <= len(pages) {
		t.Errorf("%d pages after doubling the bucket, %d before", n, len(pages))
	}
}

// Pages split as entries come in any order, each holding its own key
// range, and reads with bounds, filters, limits and cursors cross them.
func TestSplitsKeepKeyOrder(t *testing.T) {
	t.Parallel()
	ix := smallPages(t)
	ctx := testkit.Ctx(t, 60*time.Second)
	order := upTo(300)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for len(order) > 0 { // batches of 1 to 8
		n := min(1+len(order)%8, len(order))
		var ps []queueindex.Placed
		for _, i := range order[:n] {
			state := "open"
			if i%3 == 0 {
				state = "done"
			}
			ps = append(ps, inWeek(i, state))
		}
		if err := ix.Put(ctx, ps...); err != nil {
			t.Fatal(err)
		}
		order = order[n:]
	}
	pages := pagesOf(t, ix)
	if len(pages) < 10 {
		t.Fatalf("300 entries in %d pages", len(pages))
	}
	// Every page holds its own range, and the ranges follow one another.
	from := ""
	for i, line := range pages {
		first, name, _ := strings.Cut(line, "\n")
		p, err := ix.Docs.Get(ctx, week0+"/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if p.From != first || first != from && i > 0 || len(p.Entries) == 0 {
			t.Fatalf("page %d (%q) holds %d from %q until %q, listed from %q after a page until %q", i, name, len(p.Entries), p.From, p.Until, first, from)
		}
		for _, e := range p.Entries {
			if e < p.From || p.Until != "" && e >= p.Until {
				t.Fatalf("page %d holds %q outside %q–%q", i, e, p.From, p.Until)
			}
		}
		from = p.Until
	}
	if from != "" {
		t.Errorf("the last page ends at %q", from)
	}
	wantIDs(t, ix, upTo(300))
	open := readAll(t, ix, queueindex.Query{Limit: 4, Match: func(e queueindex.Entry) bool { return e.Attrs["state"] == "open" }})
	if len(open) != 200 {
		t.Errorf("%d open items, want 200", len(open))
	}
	t0 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	bounded := readAll(t, ix, queueindex.Query{Limit: 6, Descending: true,
		From: queueindex.KeyBound(t0.Add(100 * time.Minute)), Before: queueindex.KeyBound(t0.Add(150 * time.Minute))})
	if len(bounded) != 50 || bounded[0] != "item-00149" || bounded[49] != "item-00100" {
		t.Errorf("minutes 100 to 149, newest first: %d items %v", len(bounded), short(bounded))
	}
	none := readAll(t, ix, queueindex.Query{Limit: 1, Match: func(queueindex.Entry) bool { return false }})
	if len(none) != 0 {
		t.Errorf("a filter matching nothing: %v", none)
	}
	page, next, err := ix.Page(ctx, "q", queueindex.Query{Limit: 1, Match: func(queueindex.Entry) bool { return false }})
	if err != nil || len(page) != 0 || next == "" {
		t.Errorf("a filter matching nothing ends its page early: %v, next %q, %v", page, next, err)
	}
}

// A page whose entries all leave is marked empty and no longer read; an
// entry back in its range fills it again; a bucket whose pages all
// emptied leaves its queue's directory.
func TestAPageThatEmpties(t *testing.T) {
	t.Parallel()
	docs := &countedDocs{Docs: newIndex(t).Docs, writes: map[string]int{}}
	ix := &queueindex.Index{Docs: docs}
	ix.SetPageBytes(1 << 10)
	ctx := testkit.Ctx(t, 60*time.Second)
	var all []queueindex.Placed
	for i := range 100 {
		all = append(all, inWeek(i, "open"))
	}
	if err := ix.Put(ctx, all...); err != nil {
		t.Fatal(err)
	}
	pages := pagesOf(t, ix)
	if len(pages) < 4 {
		t.Fatalf("100 entries in %d pages", len(pages))
	}
	// The second page's range, from its first key to the third's.
	first, _, _ := strings.Cut(pages[1], "\n")
	next, _, _ := strings.Cut(pages[2], "\n")
	var inSecond []queueindex.Placed
	var rest, second []int
	for i, p := range all {
		if p.Entry.Key >= first && p.Entry.Key < next {
			inSecond = append(inSecond, p)
			second = append(second, i)
		} else {
			rest = append(rest, i)
		}
	}
	if err := ix.Remove(ctx, inSecond...); err != nil {
		t.Fatal(err)
	}
	if pages := pagesOf(t, ix); !strings.HasSuffix(pages[1], "\n-") || strings.HasSuffix(pages[0], "\n-") {
		t.Fatalf("the emptied page not marked (or another marked): %q", pages)
	}
	wantIDs(t, ix, rest)

	back := second[len(second)/2]
	if err := ix.Put(ctx, all[back]); err != nil {
		t.Fatal(err)
	}
	if pages := pagesOf(t, ix); strings.HasSuffix(pages[1], "\n-") {
		t.Fatalf("a page filled again still marked empty: %q", pages)
	}
	wantIDs(t, ix, append(rest, back))

	if err := ix.Remove(ctx, all...); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, ix, nil)
	dir, err := ix.Docs.Get(ctx, "q")
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Days) != 0 {
		t.Errorf("a bucket whose pages all emptied still listed: %v", dir.Days)
	}
	if err := ix.Put(ctx, all[3]); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, ix, []int{3})
}

// An item filed under a key its aggregate no longer gives leaves its
// queue though that key falls in another page than the one it is in.
func TestADropFindsAnItemInAnotherPage(t *testing.T) {
	t.Parallel()
	ix := smallPages(t)
	ctx := testkit.Ctx(t, 30*time.Second)
	var all []queueindex.Placed
	for i := range 60 {
		all = append(all, inWeek(i, "open"))
	}
	if err := ix.Put(ctx, all...); err != nil {
		t.Fatal(err)
	}
	filed := all[2]
	thought := filed
	thought.Entry.Key = inWeek(55, "").Entry.Key[:len(queueindex.KeyBound(day0))] + "/" + filed.Entry.ID
	if err := ix.Sync(ctx, []queueindex.Placed{thought}, nil); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, ix, slices.DeleteFunc(upTo(60), func(i int) bool { return i == 2 }))
}

// An item moved within its week leaves one entry, at its new key, though
// it was filed under a key its state before the move no longer gives and
// the three keys fall in three pages.
func TestAMoveAcrossPagesLeavesOneEntry(t *testing.T) {
	t.Parallel()
	ix := smallPages(t)
	ctx := testkit.Ctx(t, 30*time.Second)
	var all []queueindex.Placed
	for i := range 60 {
		all = append(all, inWeek(i*10, "open"))
	}
	if err := ix.Put(ctx, all...); err != nil {
		t.Fatal(err)
	}
	at := func(minute int) queueindex.Placed {
		p := all[1]
		p.Entry.Key = inWeek(minute, "").Entry.Key[:len(queueindex.KeyBound(day0))] + "/" + p.Entry.ID
		return p
	}
	// Filed at minute 10, thought at 305, moved to 585.
	if err := ix.Sync(ctx, []queueindex.Placed{at(305)}, []queueindex.Placed{at(585)}); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, ix, queueindex.Query{Limit: 100})
	if n := len(got); n != 60 || got[58] != all[1].Entry.ID || slices.Contains(got[:58], all[1].Entry.ID) {
		t.Fatalf("after the move: %d items, %v", n, got)
	}
	// And back within its page.
	if err := ix.Sync(ctx, []queueindex.Placed{at(585)}, []queueindex.Placed{at(586)}); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, ix, queueindex.Query{Limit: 100}); len(got) != 60 || got[58] != all[1].Entry.ID {
		t.Fatalf("after a move within a page: %d items, %v", len(got), got)
	}
}

// Writers of one paged bucket at once, their writes combined, lose
// nothing, whatever pages split under them.
func TestConcurrentWritersOfAPagedBucket(t *testing.T) {
	t.Parallel()
	ix := smallPages(t)
	ctx := testkit.Ctx(t, 60*time.Second)
	if err := ix.Put(ctx, inWeek(0, "open"), inWeek(1000, "open")); err != nil {
		t.Fatal(err)
	}
	run := func(f func(i int) error) {
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := w; i < 200; i += 8 {
					if err := f(i); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	run(func(i int) error { return ix.Put(ctx, inWeek(2+i*4, "open")) })
	want := []int{0, 1000}
	for i := range 200 {
		want = append(want, 2+i*4)
	}
	wantIDs(t, ix, want)
	run(func(i int) error {
		if i%2 == 0 {
			return nil
		}
		return ix.Remove(ctx, inWeek(2+i*4, "open"))
	})
	want = slices.DeleteFunc(want, func(i int) bool { return i != 0 && i != 1000 && (i-2)/4%2 == 1 })
	wantIDs(t, ix, want)
}

// failListing fails every write that would list new pages in a bucket's
// directory: a split cut short between its page writes and its listing.
type failListing struct{ queueindex.Docs }

var errCut = errors.New("cut short")

func (f failListing) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[queueindex.Doc]) error) (queueindex.Doc, error) {
	return f.Docs.Update(ctx, id, opts, func(ch *docstore.Change[queueindex.Doc]) error {
		before := len(ch.State.Pages)
		if err := decide(ch); err != nil {
			return err
		}
		if before > 0 && len(ch.State.Pages) > before {
			return errCut
		}
		return nil
	})
}

// Pages a split wrote but did not list are still read and written through
// the page they were split from, and listed by the next write sent there.
func TestASplitNotListedIsStillFound(t *testing.T) {
	t.Parallel()
	base := smallPages(t)
	ctx := testkit.Ctx(t, 60*time.Second)
	var want []int
	var ps []queueindex.Placed
	for i := range 30 {
		ps = append(ps, inWeek(i*10, "open"))
		want = append(want, i*10)
	}
	if err := base.Put(ctx, ps...); err != nil {
		t.Fatal(err)
	}
	listed := len(pagesOf(t, base))
	cut := &queueindex.Index{Docs: failListing{base.Docs}}
	cut.SetPageBytes(1 << 10)
	failed := false
	for i := 2001; i < 2030; i++ { // the last page grows until it splits
		if err := cut.Put(ctx, inWeek(i, "open")); errors.Is(err, errCut) {
			failed = true
		} else if err != nil {
			t.Fatal(err)
		}
		want = append(want, i)
	}
	if !failed || len(pagesOf(t, base)) != listed {
		t.Fatalf("no split was cut short (%v), or it listed its pages: %d pages, %d before", failed, len(pagesOf(t, base)), listed)
	}
	wantIDs(t, base, want)
	if err := base.Put(ctx, inWeek(2029, "done")); err != nil {
		t.Fatal(err)
	}
	if n := len(pagesOf(t, base)); n <= listed {
		t.Errorf("the unlisted pages still unlisted after a write to them: %d pages, %d before", n, listed)
	}
	wantIDs(t, base, want)
}

// A bucket gone from under the directory an index remembers (its
// collection dropped, as between tests) is written afresh.
func TestAPagedBucketGoneIsWrittenAfresh(t *testing.T) {
	t.Parallel()
	ix := smallPages(t)
	ctx := testkit.Ctx(t, 30*time.Second)
	var all []queueindex.Placed
	for i := range 40 {
		all = append(all, inWeek(i, "open"))
	}
	if err := ix.Put(ctx, all...); err != nil {
		t.Fatal(err)
	}
	if len(pagesOf(t, ix)) < 2 {
		t.Fatal("not paged")
	}
	if err := ix.Docs.(*docstore.Collection[queueindex.Doc]).Mongo().Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, all[7]); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, ix, []int{7})
}

// Two indexes over one collection (two processes' writers, each combining
// its own writes) write one paged bucket at once, each splitting pages the
// other is writing: nothing is lost.
func TestTwoWritersOfAPagedBucketLoseNothing(t *testing.T) {
	t.Parallel()
	a := smallPages(t)
	b := &queueindex.Index{Docs: a.Docs}
	b.SetPageBytes(1 << 10)
	ctx := testkit.Ctx(t, 90*time.Second)
	if err := a.Put(ctx, inWeek(0, "open"), inWeek(5000, "open")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w, ix := range []*queueindex.Index{a, b, a, b} {
		wg.Go(func() {
			for i := w; i < 240; i += 4 {
				if err := ix.Put(ctx, inWeek(1+i*3, "open")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	want := []int{0, 5000}
	for i := range 240 {
		want = append(want, 1+i*3)
	}
	wantIDs(t, a, want)
	for w, ix := range []*queueindex.Index{b, a} {
		wg.Go(func() {
			for i := w; i < 240; i += 2 {
				if err := ix.Remove(ctx, inWeek(1+i*3, "open")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	wantIDs(t, b, []int{0, 5000})
}
