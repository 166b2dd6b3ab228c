// Package queueindex keeps the work queues people page through (a unit's
// copies awaiting signature, a station's disputes, revisits due) as ordered
// index documents read and written by _id alone.
//
// The store cannot answer a page of a queue from an index: FerretDB's
// SQLite backend evaluates every filter but exactly {_id: value} by
// decoding the whole collection, and neither of its backends pushes a
// range ($gt/$lt) or a sort other than $natural down to the database. So a
// queue is a directory document listing its day buckets, and one bucket
// document per day holding that day's entries in key order. Reading a page
// reads the directory and as many buckets as the page spans; writing an
// entry rewrites one bucket (and the directory when a day starts or
// empties). Neither grows with the queue, only with a day's share of it.
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
	"slices"
	"strings"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// Entry is one item of a queue.
type Entry struct {
	// ID names the item within the queue (a dispute ID, "<slip>/<copy>").
	ID string `bson:"id"`
	// Key orders the queue; made by Key, so its first keyDay characters
	// name the item's day bucket.
	Key string `bson:"key"`
	// Attrs are what the queue is filtered on (state, unit, category…).
	Attrs map[string]string `bson:"attrs,omitempty"`
}

// Placed is an entry in a named queue.
type Placed struct {
	Queue string
	Entry Entry
}

// Doc is a stored document of the index: a directory (Days) or a bucket
// (Entries).
type Doc struct {
	Days    []string `bson:"days,omitempty"`
	Entries []Entry  `bson:"entries,omitempty"`
}

// Docs is the collection the index lives in; *docstore.Collection[Doc]
// satisfies it.
type Docs interface {
	Get(ctx context.Context, id string) (Doc, error)
	Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[Doc]) error) (Doc, error)
}

// Index is every queue of a service, in one collection.
type Index struct{ Docs Docs }

// keyTime is the layout of a key's time: fixed width, so keys sort as
// their times do. keyDay is the length of its day, the bucket's name.
const (
	keyTime = "20060102T150405.000000000Z"
	keyDay  = len("20060102")
)

// Key orders an item by t, then by id among items of the same instant.
func Key(t time.Time, id string) string { return t.UTC().Format(keyTime) + "/" + id }

// KeyBound is the smallest key at time t: every item at or after t sorts
// at or after it.
func KeyBound(t time.Time) string { return t.UTC().Format(keyTime) }

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

func dayOf(key string) string { return key[:keyDay] }

func bucketID(queue, day string) string { return queue + "/" + day }

// Put adds or replaces the entries, each in its queue.
func (ix *Index) Put(ctx context.Context, entries ...Placed) error {
	for _, b := range byBucket(entries) {
		_, err := ix.Docs.Update(ctx, bucketID(b.queue, b.day), docstore.Options{Create: true}, func(ch *docstore.Change[Doc]) error {
			for _, e := range b.entries {
				ch.State.Entries = upsert(ch.State.Entries, e)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("while indexing in %s: %w", b.queue, err)
		}
		if err := ix.listDay(ctx, b.queue, b.day); err != nil {
			return err
		}
	}
	return nil
}

// Remove takes the entries (by queue, key and ID) out of their queues.
func (ix *Index) Remove(ctx context.Context, entries ...Placed) error {
	for _, b := range byBucket(entries) {
		emptied := false
		_, err := ix.Docs.Update(ctx, bucketID(b.queue, b.day), docstore.Options{}, func(ch *docstore.Change[Doc]) error {
			before := len(ch.State.Entries)
			ch.State.Entries = slices.DeleteFunc(slices.Clone(ch.State.Entries), func(x Entry) bool {
				// By key too: a move within the day already replaced it.
				return slices.ContainsFunc(b.entries, func(e Entry) bool { return e.ID == x.ID && e.Key == x.Key })
			})
			if len(ch.State.Entries) == before {
				return docstore.ErrNoChange
			}
			emptied = len(ch.State.Entries) == 0
			return nil
		})
		if errors.Is(err, docstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("while unindexing from %s: %w", b.queue, err)
		}
		if emptied {
			if err := ix.unlistDay(ctx, b.queue, b.day); err != nil {
				return err
			}
		}
	}
	return nil
}

// Sync moves an aggregate's entries from what its previous state placed
// (before) to what its new state places (after): the entries gone or
// moved are removed, the new or changed ones put. Entries are the same
// when queue, ID, key and attributes are.
func (ix *Index) Sync(ctx context.Context, before, after []Placed) error {
	var gone, added []Placed
	for _, b := range before {
		if i := indexOf(after, b); i < 0 || after[i].Entry.Key != b.Entry.Key {
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
	return ix.Remove(ctx, gone...)
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
func (ix *Index) listDay(ctx context.Context, queue, day string) error {
	_, err := ix.Docs.Update(ctx, queue, docstore.Options{Create: true}, func(ch *docstore.Change[Doc]) error {
		i, found := slices.BinarySearch(ch.State.Days, day)
		if found {
			return docstore.ErrNoChange
		}
		ch.State.Days = slices.Insert(slices.Clone(ch.State.Days), i, day)
		return nil
	})
	if err != nil {
		return fmt.Errorf("while listing %s in %s: %w", day, queue, err)
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
	_, err := ix.Docs.Update(ctx, queue, docstore.Options{}, func(ch *docstore.Change[Doc]) error {
		i, found := slices.BinarySearch(ch.State.Days, day)
		if !found {
			return docstore.ErrNoChange
		}
		ch.State.Days = slices.Delete(slices.Clone(ch.State.Days), i, i+1)
		return nil
	})
	if err != nil && !errors.Is(err, docstore.ErrNotFound) {
		return fmt.Errorf("while unlisting %s from %s: %w", day, queue, err)
	}
	b, err := ix.Docs.Get(ctx, bucketID(queue, day))
	if err != nil && !errors.Is(err, docstore.ErrNotFound) {
		return fmt.Errorf("while rechecking %s of %s: %w", day, queue, err)
	}
	if len(b.Entries) > 0 {
		return ix.listDay(ctx, queue, day)
	}
	return nil
}

// upsert puts e into entries (sorted by key), replacing the entry of the
// same ID.
func upsert(entries []Entry, e Entry) []Entry {
	out := slices.DeleteFunc(slices.Clone(entries), func(x Entry) bool { return x.ID == e.ID })
	i, _ := slices.BinarySearchFunc(out, e.Key, func(x Entry, k string) int { return strings.Compare(x.Key, k) })
	return slices.Insert(out, i, e)
}

type bucket struct {
	queue, day string
	entries    []Entry
}

// byBucket groups entries by the bucket document they live in, so a batch
// writes each bucket once.
func byBucket(ps []Placed) []bucket {
	var out []bucket
	for _, p := range ps {
		day := dayOf(p.Entry.Key)
		i := slices.IndexFunc(out, func(b bucket) bool { return b.queue == p.Queue && b.day == day })
		if i < 0 {
			out = append(out, bucket{queue: p.Queue, day: day})
			i = len(out) - 1
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
