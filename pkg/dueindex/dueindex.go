// Package dueindex finds the documents that have come due by reading only
// what came due. A sweep that asks the store for every document whose due
// time has passed reads the whole collection on FerretDB (only a filter
// that is exactly {_id: value} uses an index there), so its cost grows with
// what is stored even when nothing is due. The index files each document's
// ID under the second it falls due, in documents found by _id alone:
//
//	"d<day>"    the hours of the day that have entries
//	"h<hour>"   the seconds of the hour that have entries
//	"s<second>" the IDs due in that second
//	"cursor"    the first second a sweep has not yet read
//
// A sweep reads the day documents from the cursor's day to now's, the hours
// they list, the seconds those list, and the IDs of those seconds: a tick
// with nothing due reads a day and an hour document.
//
// The index is a superset of what is due: an ID is filed before its
// document is written and never unfiled, so the sweeper checks each ID
// against its document's fresh state, and a document whose due time moved
// is found again at its new time. Entries are filed at the later of their
// due time and the filing moment, and each sweep reads again the last
// minute it read (Lag), so an entry filed while a sweep runs is not passed
// over.
package dueindex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/internal/combine"
)

// Lag is how far before now a sweep leaves the cursor: the next sweep reads
// that stretch again.
const Lag = time.Minute

// Entry is one document of the index.
type Entry struct {
	Items  []int64  `bson:"items,omitempty"`
	IDs    []string `bson:"ids,omitempty"`
	Cursor int64    `bson:"cursor,omitempty"`
}

// Index is a due index over one collection's documents.
type Index struct {
	docs docstore.Documents[Entry]

	mu sync.Mutex
	// listed remembers directory entries this process wrote, so filing
	// mostly writes only its second's document.
	listed map[string]bool

	writes combine.Writes[Entry]
}

// New is the index kept in docs (a collection of its own).
func New(docs docstore.Documents[Entry]) *Index {
	return &Index{docs: docs, listed: map[string]bool{}}
}

const cursorID = "cursor"

// apply makes edit in the next write of document id, creating it if need
// be (package combine): every document due in the same second, and in the
// same hour or day, shares a document, and slips issued in a burst, or
// while the county's calendar is closed, fall due in the same second. One
// write of such a document carries every filing that arrived while the
// previous one was being made, instead of each loading and saving the
// growing list in turn.
func (x *Index) apply(ctx context.Context, id string, edit func(*Entry) bool) (Entry, error) {
	return x.writes.Apply(ctx, id, true, edit, 2*sharedPatience, x.write)
}

func (x *Index) write(ctx context.Context, id string, create bool, decide func(*docstore.Change[Entry]) error) (Entry, error) {
	return x.docs.Update(ctx, id, docstore.Options{Create: create, Patience: sharedPatience, Nested: true}, func(ch *docstore.Change[Entry]) error {
		// The edits append in place: they get copies of their own.
		ch.State.IDs, ch.State.Items = slices.Clone(ch.State.IDs), slices.Clone(ch.State.Items)
		return decide(ch)
	})
}

// sharedPatience is how long a filing waits for the other writers of a
// directory or second document, which every document due in the same hour
// or second shares (docstore.Options.Patience).
const sharedPatience = 30 * time.Second

// maxListed bounds the memory of directory entries written.
const maxListed = 100_000

// File files id as due at at, or at now if at has passed. It may be called
// within the change of document id itself, holding its lock: the index's
// documents are locked as nested documents (docstore.Options.Nested).
func (x *Index) File(ctx context.Context, id string, at, now time.Time) error {
	second := max(at.Unix(), now.Unix())
	hour, day := floorDiv(second, 3600), floorDiv(second, 86400)
	// The directories first: one listing a second with no entry costs a
	// read, an entry no directory lists would never be read.
	if err := x.list(ctx, "d"+strconv.FormatInt(day, 10), hour); err != nil {
		return err
	}
	if err := x.list(ctx, "h"+strconv.FormatInt(hour, 10), second); err != nil {
		return err
	}
	_, err := x.apply(ctx, "s"+strconv.FormatInt(second, 10), func(e *Entry) bool {
		if slices.Contains(e.IDs, id) {
			return false
		}
		e.IDs = append(e.IDs, id)
		return true
	})
	if err != nil {
		return fmt.Errorf("while filing %s as due at %d: %w", id, second, err)
	}
	return nil
}

// list adds item to the directory document dir.
func (x *Index) list(ctx context.Context, dir string, item int64) error {
	key := dir + "/" + strconv.FormatInt(item, 10)
	x.mu.Lock()
	known := x.listed[key]
	x.mu.Unlock()
	if known {
		return nil
	}
	_, err := x.apply(ctx, dir, func(e *Entry) bool {
		if slices.Contains(e.Items, item) {
			return false
		}
		e.Items = append(e.Items, item)
		return true
	})
	if err != nil {
		return fmt.Errorf("while listing %d in the due index's %s: %w", item, dir, err)
	}
	x.mu.Lock()
	if len(x.listed) >= maxListed {
		clear(x.listed)
	}
	x.listed[key] = true
	x.mu.Unlock()
	return nil
}

// Due is a stored document's ID and when it falls due.
type Due struct {
	ID string
	At time.Time
}

// builtMarker is the document saying the index holds every document
// stored before it existed.
const builtMarker = "built"

// Build files what was stored before the index existed, once per index:
// when no marker says it was built, it begins the cursor at now, files each
// document stored returns and then writes the marker (docstore.BuildOnce),
// so a build cut short runs again at the next start. stored reads the whole
// source collection, so Build belongs to start-up. It returns how many
// documents it filed, 0 when the index was built before.
func (x *Index) Build(ctx context.Context, now time.Time, stored func(context.Context) ([]Due, error)) (int, error) {
	filed := 0
	_, err := docstore.BuildOnce(ctx, x.docs, builtMarker, func() error {
		if err := x.Begin(ctx, now); err != nil {
			return err
		}
		due, err := stored(ctx)
		if err != nil {
			return err
		}
		for _, d := range due {
			if err := x.File(ctx, d.ID, d.At, now); err != nil {
				return err
			}
			filed++
		}
		return nil
	})
	return filed, err
}

// Begin sets the cursor of an index never swept to at: the first sweep
// reads from there. Call it before filing what is already stored, with the
// filing moment.
func (x *Index) Begin(ctx context.Context, at time.Time) error {
	_, err := x.docs.Update(ctx, cursorID, docstore.Options{Create: true, Patience: sharedPatience, Nested: true}, func(ch *docstore.Change[Entry]) error {
		if ch.Exists {
			return docstore.ErrNoChange
		}
		ch.State.Cursor = at.Unix()
		return nil
	})
	if err != nil {
		return fmt.Errorf("while starting the due index's cursor: %w", err)
	}
	return nil
}

// Due returns the IDs filed from the cursor up to now, each once, and
// advance, which moves the cursor to Lag before now: call it once the IDs
// were dealt with, so a failed sweep reads them again. An index without a
// cursor (see Begin) reads from Lag before now.
func (x *Index) Due(ctx context.Context, now time.Time) (ids []string, advance func(context.Context) error, err error) {
	start := now.Add(-Lag).Unix()
	if c, err := x.docs.Get(ctx, cursorID); err == nil {
		start = c.Cursor
	} else if !errors.Is(err, docstore.ErrNotFound) {
		return nil, nil, fmt.Errorf("while reading the due index's cursor: %w", err)
	}
	end := now.Unix()
	seen := map[string]bool{}
	for day := floorDiv(start, 86400); day <= floorDiv(end, 86400); day++ {
		hours, err := x.items(ctx, "d"+strconv.FormatInt(day, 10))
		if err != nil {
			return nil, nil, err
		}
		for _, hour := range hours {
			if hour < floorDiv(start, 3600) || hour > floorDiv(end, 3600) {
				continue
			}
			if ids, err = x.dueInHour(ctx, hour, start, end, seen, ids); err != nil {
				return nil, nil, err
			}
		}
	}
	next := max(start, end-int64(Lag/time.Second))
	advance = func(ctx context.Context) error {
		if next == start {
			return nil
		}
		_, err := x.docs.Update(ctx, cursorID, docstore.Options{Create: true, Patience: sharedPatience, Nested: true}, func(ch *docstore.Change[Entry]) error {
			ch.State.Cursor = max(ch.State.Cursor, next)
			return nil
		})
		if err != nil {
			return fmt.Errorf("while moving the due index's cursor: %w", err)
		}
		return nil
	}
	return ids, advance, nil
}

func (x *Index) dueInHour(ctx context.Context, hour, start, end int64, seen map[string]bool, ids []string) ([]string, error) {
	seconds, err := x.items(ctx, "h"+strconv.FormatInt(hour, 10))
	if err != nil {
		return nil, err
	}
	slices.Sort(seconds)
	for _, second := range seconds {
		if second < start || second > end {
			continue
		}
		e, err := x.docs.Get(ctx, "s"+strconv.FormatInt(second, 10))
		if errors.Is(err, docstore.ErrNotFound) {
			continue // listed before its entry was written, or never written
		}
		if err != nil {
			return nil, fmt.Errorf("while reading the due index: %w", err)
		}
		for _, id := range e.IDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

// items reads a directory document; one never written lists nothing.
func (x *Index) items(ctx context.Context, dir string) ([]int64, error) {
	e, err := x.docs.Get(ctx, dir)
	if errors.Is(err, docstore.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("while reading the due index's %s: %w", dir, err)
	}
	return e.Items, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
