// Package queueindex keeps the work queues people page through (a unit's
// copies awaiting signature, a station's disputes, revisits due) as ordered
// index documents read and written by _id alone.
//
// The store cannot answer a page of a queue from an index: FerretDB's
// SQLite backend evaluates every filter but exactly {_id: value} by
// decoding the whole collection, and neither of its backends pushes a
// range ($gt/$lt) or a sort other than $natural down to the database. So a
// queue is a directory document listing its buckets, and one bucket per
// week holding that week's entries in key order: one document while the
// week is small, pages of at most 32 KiB each once it is not (paged.go).
// Reading a page reads the directory and as many buckets (and their pages)
// as the page spans; writing an entry rewrites the bucket or the one page
// its key falls in (and the directory when a week starts or empties).
// Neither grows with the queue, and a write does not grow with the week.
//
// An entry carries the attributes the queue is filtered on, so a filter
// reads entries, not the aggregates; the caller then loads the page's
// aggregates by _id and checks them, since the index follows their writes
// (see Maintained) and may lag one by a crash.
package queueindex

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/combine"
)

// Entry is one item of a queue.
type Entry struct {
	// ID names the item within the queue (a dispute ID, "<slip>/<copy>").
	ID string `bson:"id"`
	// Key orders the queue; made by Key, so its time names the item's
	// bucket.
	Key string `bson:"key"`
	// Attrs are what the queue is filtered on (state, unit, category…).
	Attrs map[string]string `bson:"attrs,omitempty"`
}

// Placed is an entry in a named queue.
type Placed struct {
	Queue string
	Entry Entry
}

// Doc is a stored document of the index: a queue's directory (Days), a
// bucket (Entries, each packed into one string: the store decodes an array
// of strings many times faster than one of small documents, and a bucket
// is read whole), a paged bucket's directory (Pages) or one of its pages
// (Entries, within From and Until; see paged.go).
type Doc struct {
	Days    []string `bson:"days,omitempty"`
	Entries []string `bson:"entries,omitempty"`
	// Pages are a paged bucket's pages in key order, each "<first
	// key>\n<name>", ending "\n-" while the page is empty.
	Pages []string `bson:"pages,omitempty"`
	// From (inclusive, empty at the bucket's start) and Until (exclusive,
	// empty at its end) bound a page's keys; Next names the page holding
	// the keys from Until on.
	From  string `bson:"from,omitempty"`
	Until string `bson:"until,omitempty"`
	Next  string `bson:"next,omitempty"`
}

// pack is an entry as a bucket stores it: its key (which ends with its
// ID), a newline, and its attributes query-encoded.
func pack(e Entry) string {
	attrs := url.Values{}
	for k, v := range e.Attrs {
		attrs.Set(k, v)
	}
	return e.Key + "\n" + attrs.Encode()
}

func unpack(s string) Entry {
	key, encoded, _ := strings.Cut(s, "\n")
	e := Entry{Key: key, ID: idOf(key)}
	if attrs, err := url.ParseQuery(encoded); err == nil && len(attrs) > 0 {
		e.Attrs = make(map[string]string, len(attrs))
		for k, v := range attrs {
			e.Attrs[k] = v[0]
		}
	}
	return e
}

func keyOfPacked(s string) string {
	key, _, _ := strings.Cut(s, "\n")
	return key
}

func idOf(key string) string {
	_, id, _ := strings.Cut(key, "/")
	return id
}

// Docs is the collection the index lives in; *docstore.Collection[Doc]
// satisfies it.
type Docs interface {
	Get(ctx context.Context, id string) (Doc, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[Doc]) error) (Doc, error)
}

// Index is every queue of a service, in one collection.
type Index struct {
	Docs Docs
	// OnlyWriter says this process is the only writer of the index
	// (FerretDB under the writer lease, bootstrap.Service.SingleWriter): it
	// then remembers the days it listed in each queue's directory and does
	// not read the directory again to list them. With several writers a
	// day another one dropped would stay remembered here, so it is off.
	OnlyWriter bool

	combine combine.Writes[Doc]
	buckets combine.Writes[batch]
	// pageSize replaces pageBytes when set (tests).
	pageSize int

	dirsMu sync.Mutex
	// dirs are the directories of paged buckets as last read or written
	// here, by bucket: a write routes by one without reading it, as a
	// page sent an entry past its range passes it on (see paged.go).
	dirs map[string][]pageRef

	listedMu sync.Mutex
	// listed are the days known listed, by queue and day; unlisting
	// forgets a day and counts in unlistings, so that a listing that
	// overlapped any unlisting is not remembered (see listDay).
	listed     map[string]bool
	unlistings uint64
}

// maxListed bounds the days remembered as listed.
const maxListed = 100_000

// keyTime is the layout of a key's time: fixed width, so keys sort as
// their times do. keyDay is the length of its day, the bucket's name.
const (
	keyTime = "20060102T150405.000000000Z"
	keyDay  = len("20060102")
)

// bucketSpan is the time one bucket holds. Buckets are named by the day
// they start, so they sort as their times do.
const bucketSpan = 7 * 24 * time.Hour

// sharedPatience is how long a write of a queue waits for the queue's other
// writers: every record of a queue and week shares its bucket document
// (docstore.Options.Patience).
const sharedPatience = 30 * time.Second

// Key orders an item by t, then by id among items of the same instant; id
// must not hold a newline. t is taken to the millisecond, as the store
// keeps times: the state a write returns and the one read back later must
// place an item at the same key.
func Key(t time.Time, id string) string {
	return t.UTC().Truncate(time.Millisecond).Format(keyTime) + "/" + id
}

// KeyBound is the smallest key at time t: every item at or after t sorts
// at or after it.
func KeyBound(t time.Time) string { return t.UTC().Format(keyTime) }

// KeyTime is the time a key orders by.
func KeyTime(k string) (time.Time, error) {
	t, _, _ := strings.Cut(k, "/")
	return time.Parse(keyTime, t)
}

// ErrBadKey is a cursor that is not a key this package made.
var ErrBadKey = errors.New("not a queue key")

// CheckKey reports whether k is a key Key made (a cursor sent back).
func CheckKey(k string) error {
	i := strings.IndexByte(k, '/')
	if i < 0 {
		return ErrBadKey
	}
	if _, err := time.Parse(keyTime, k[:i]); err != nil {
		return ErrBadKey
	}
	return nil
}

// dayOf names the bucket a key belongs to: the first day of its span.
func dayOf(key string) string {
	day, err := time.Parse("20060102", key[:keyDay])
	if err != nil { // keys are made by Key or checked by CheckKey
		return key[:keyDay]
	}
	start := time.Unix(0, 0).UTC().Add(day.Sub(time.Unix(0, 0).UTC()) / bucketSpan * bucketSpan)
	return start.Format("20060102")
}

func bucketID(queue, day string) string { return queue + "/" + day }

// Put adds or replaces the entries, each in its queue. The buckets are
// written side by side: each is a document of its own, and a slip's copies
// go to four of them.
func (ix *Index) Put(ctx context.Context, entries ...Placed) error {
	return eachBucket(byBucket(entries), func(b bucket) error {
		if _, err := ix.applyBucket(ctx, b.queue, b.day, true, op{kind: opPut, entries: b.entries}); err != nil {
			return fmt.Errorf("while indexing in %s: %w", b.queue, err)
		}
		return ix.listDay(ctx, b.queue, b.day)
	})
}

// Remove takes the entries (by queue, key and ID) out of their queues,
// the buckets side by side.
func (ix *Index) Remove(ctx context.Context, entries ...Placed) error {
	// By key, not ID: the same ID may have been put at another key since.
	return ix.remove(ctx, entries, opRemove)
}

// drop takes items out of their queues by ID within the bucket their
// entries name, whatever key they were filed under: what an aggregate no
// longer owes must leave its queue even if it was filed under a key its
// state before the change no longer gives (a deadline recomputed since).
func (ix *Index) drop(ctx context.Context, entries ...Placed) error {
	return ix.remove(ctx, entries, opDrop)
}

// move takes the entries out of their queues by ID within the bucket their
// keys name, but for those at the keys their IDs have in to (put already):
// an ID moved to another key leaves no entry at an older one, even one it
// was filed under that its state before the change no longer gives.
func (ix *Index) move(ctx context.Context, entries, to []Placed) error {
	return ix.remove(ctx, entries, opMove, to...)
}

func (ix *Index) remove(ctx context.Context, entries []Placed, kind opKind, to ...Placed) error {
	return eachBucket(byBucket(entries), func(b bucket) error {
		o := op{kind: kind, entries: b.entries}
		if kind == opMove {
			o.keep = map[string]string{}
			for _, e := range b.entries {
				if i := indexOf(to, Placed{Queue: b.queue, Entry: e}); i >= 0 {
					o.keep[e.ID] = to[i].Entry.Key
				}
			}
		}
		left, err := ix.applyBucket(ctx, b.queue, b.day, false, o)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("while unindexing from %s: %w", b.queue, err)
		}
		if left.empty {
			return ix.unlistDay(ctx, b.queue, b.day)
		}
		return nil
	})
}

// eachBucket runs f for every bucket at once and joins their errors.
func eachBucket(buckets []bucket, f func(bucket) error) error {
	if len(buckets) == 1 {
		return f(buckets[0])
	}
	errs := make([]error, len(buckets))
	var wg sync.WaitGroup
	for i, b := range buckets {
		wg.Go(func() { errs[i] = f(b) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Sync moves an aggregate's entries from what its previous state placed
// (before) to what its new state places (after): the entries gone or
// moved are removed, the new or changed ones put. Entries are the same
// when queue, ID, key and attributes are.
func (ix *Index) Sync(ctx context.Context, before, after []Placed) error {
	var gone, dropped, added []Placed
	for _, b := range before {
		switch i := indexOf(after, b); {
		case i < 0:
			dropped = append(dropped, b)
		case after[i].Entry.Key != b.Entry.Key:
			gone = append(gone, b)
		}
	}
	for _, a := range after {
		if i := indexOf(before, a); i < 0 || !sameEntry(before[i].Entry, a.Entry) {
			added = append(added, a)
		}
	}
	// Put first: an item is in a queue twice for a moment rather than in
	// none, and a reader checks the aggregate anyway.
	if err := ix.Put(ctx, added...); err != nil {
		return err
	}
	if err := ix.drop(ctx, dropped...); err != nil {
		return err
	}
	return ix.move(ctx, gone, after)
}

func indexOf(ps []Placed, p Placed) int {
	return slices.IndexFunc(ps, func(x Placed) bool { return x.Queue == p.Queue && x.Entry.ID == p.Entry.ID })
}

func sameEntry(a, b Entry) bool {
	if a.Key != b.Key || len(a.Attrs) != len(b.Attrs) {
		return false
	}
	for k, v := range a.Attrs {
		if w, ok := b.Attrs[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// listDay makes sure the queue's directory names the day.
//
// An only writer skips the write when it remembers listing the day. That
// cannot leave a bucket with entries unlisted: unlistDay forgets the day
// before it drops it, and checks the bucket after. A listing that found the
// day remembered came after its bucket write and before that forgetting,
// so the check sees the entry and lists the day again; and a listing is
// remembered only if no unlisting began while it ran.
func (ix *Index) listDay(ctx context.Context, queue, day string) error {
	key := queue + "\x00" + day
	var gen uint64
	if ix.OnlyWriter {
		ix.listedMu.Lock()
		known := ix.listed[key]
		gen = ix.unlistings
		ix.listedMu.Unlock()
		if known {
			return nil
		}
	}
	_, err := ix.apply(ctx, queue, true, func(d *Doc) bool {
		i, found := slices.BinarySearch(d.Days, day)
		if found {
			return false
		}
		d.Days = slices.Insert(d.Days, i, day)
		return true
	})
	if err != nil {
		return fmt.Errorf("while listing %s in %s: %w", day, queue, err)
	}
	if ix.OnlyWriter {
		ix.listedMu.Lock()
		if ix.unlistings == gen {
			if ix.listed == nil || len(ix.listed) >= maxListed {
				ix.listed = map[string]bool{}
			}
			ix.listed[key] = true
		}
		ix.listedMu.Unlock()
	}
	return nil
}

// unlistDay drops an emptied day from the directory, so a page never
// reads through past days whose items all moved on. A writer may fill the
// bucket again meanwhile: it lists the day after its own bucket write, and
// this one checks the bucket after dropping the day and lists it again if
// it is no longer empty, so whichever order the two take, a bucket with
// entries stays listed.
func (ix *Index) unlistDay(ctx context.Context, queue, day string) error {
	if ix.OnlyWriter {
		key := queue + "\x00" + day
		ix.listedMu.Lock()
		delete(ix.listed, key)
		ix.unlistings++
		ix.listedMu.Unlock()
	}
	_, err := ix.apply(ctx, queue, false, func(d *Doc) bool {
		i, found := slices.BinarySearch(d.Days, day)
		if !found {
			return false
		}
		d.Days = slices.Delete(d.Days, i, i+1)
		return true
	})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("while unlisting %s from %s: %w", day, queue, err)
	}
	b, err := ix.Docs.Get(ctx, bucketID(queue, day))
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("while rechecking %s of %s: %w", day, queue, err)
	}
	if hasEntries(b) {
		return ix.listDay(ctx, queue, day)
	}
	return nil
}

// merge puts the entries into the packed ones, which are sorted by key,
// replacing those of the same IDs (the last of the entries wins). It
// edits packed in place. A bucket holds a week of its queue while a write
// brings a few entries: the packed ones are scanned once and the entries
// inserted where they sort, not the whole bucket mapped and sorted again.
// A build brings a whole week at once: its entries are sorted and merged
// with the packed ones in one pass, as each insert would move the rest.
func merge(packed []string, entries []Entry) []string {
	last := make(map[string]int, len(entries)) // by ID, its last entry
	for i, e := range entries {
		last[e.ID] = i
	}
	packed = slices.DeleteFunc(packed, func(p string) bool { _, ok := last[idOf(keyOfPacked(p))]; return ok })
	if len(entries) <= insertEach {
		for i, e := range entries {
			if last[e.ID] != i {
				continue // a later entry of the same ID replaces it
			}
			at, _ := slices.BinarySearchFunc(packed, e.Key, func(p, key string) int { return strings.Compare(keyOfPacked(p), key) })
			packed = slices.Insert(packed, at, pack(e))
		}
		return packed
	}
	kept := make([]int, 0, len(last))
	for i, e := range entries {
		if last[e.ID] == i {
			kept = append(kept, i)
		}
	}
	// Inserted one by one, an entry goes before those of an equal key
	// already there, the later entry first.
	slices.SortFunc(kept, func(x, y int) int {
		if c := strings.Compare(entries[x].Key, entries[y].Key); c != 0 {
			return c
		}
		return y - x
	})
	out := make([]string, 0, len(packed)+len(kept))
	for len(packed) > 0 || len(kept) > 0 {
		if len(kept) > 0 && (len(packed) == 0 || entries[kept[0]].Key <= keyOfPacked(packed[0])) {
			out = append(out, pack(entries[kept[0]]))
			kept = kept[1:]
			continue
		}
		out = append(out, packed[0])
		packed = packed[1:]
	}
	return out
}

// insertEach is how many entries merge inserts one by one.
const insertEach = 16

type bucket struct {
	queue, day string
	entries    []Entry
}

// byBucket groups entries by the bucket document they live in, so a batch
// writes each bucket once.
func byBucket(ps []Placed) []bucket {
	var out []bucket
	at := map[[2]string]int{} // by queue and day, the bucket's index in out
	for _, p := range ps {
		day := dayOf(p.Entry.Key)
		i, ok := at[[2]string{p.Queue, day}]
		if !ok {
			out = append(out, bucket{queue: p.Queue, day: day})
			i = len(out) - 1
			at[[2]string{p.Queue, day}] = i
		}
		out[i].entries = append(out[i].entries, p.Entry)
	}
	return out
}

// Build fills the index once from placed (every entry the aggregates
// stored before the index existed place), unless the index says it was
// built under marker: a store written before the queues existed gets them
// at its next start. It reads every aggregate, so it runs at start-up.
func (ix *Index) Build(ctx context.Context, marker string, placed func() ([]Placed, error)) (bool, error) {
	return docstore.BuildOnce(ctx, ix.Docs, "built/"+marker, func() error {
		ps, err := placed()
		if err != nil {
			return err
		}
		return ix.Put(ctx, ps...)
	})
}

// BuildFrom is Build over a whole collection of records: stored reads them
// all (once, at start-up, on a store written before the queues existed) and
// place gives each record's entries. what names the records and the marker.
func BuildFrom[S any](ctx context.Context, ix *Index, what string, stored func(context.Context) ([]S, error), place func(S) []Placed) error {
	_, err := ix.Build(ctx, what, func() ([]Placed, error) {
		all, err := stored(ctx)
		if err != nil {
			return nil, fmt.Errorf("while reading the %s to queue: %w", what, err)
		}
		var placed []Placed
		for _, r := range all {
			placed = append(placed, place(r)...)
		}
		return placed, nil
	})
	if err != nil {
		return fmt.Errorf("while building the %s queues: %w", what, err)
	}
	return nil
}
