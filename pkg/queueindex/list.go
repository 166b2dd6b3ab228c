package queueindex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrNoIndex is a list asked of a service wired without its queue index.
var ErrNoIndex = errors.New("no queue index is configured")

// Name is the name of a queue: its parts joined by "/", from the most
// general ("copies", the county) to the most particular (a unit, a state).
func Name(parts ...string) string { return strings.Join(parts, "/") }

// PerState names the queue of each state: a list kept as one queue per
// state reads those of the states it asks for.
func PerState(states []string, queue func(state string) string) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = queue(s)
	}
	return out
}

// Narrows reports whether attrs hold every value of want that is not
// empty: a list's filter, whose empty fields do not narrow.
func Narrows(attrs, want map[string]string) bool {
	for k, v := range want {
		if v != "" && attrs[k] != v {
			return false
		}
	}
	return true
}

// Within is q bounded to the keys of the times from (inclusive) to before
// (exclusive); a nil bound leaves its side open.
func (q Query) Within(from, before *time.Time) Query {
	if from != nil {
		q.From = KeyBound(*from)
	}
	if before != nil {
		q.Before = KeyBound(*before)
	}
	return q
}

// Listing reads a service's queues as the aggregates their entries name.
type Listing[S any] struct {
	// What names the list in its errors ("the disputes of county 622901").
	What  string
	Index *Index
	// Get reads an aggregate by ID, as the caller may see it.
	Get func(ctx context.Context, id string) (S, error)
	// Place is where an aggregate stands in the queues (what Maintained
	// keeps them to).
	Place func(S) []Placed
	// Owner is the ID of the aggregate an entry's ID names, when an
	// aggregate has several entries in one queue (a slip's copies); nil
	// when they are the same.
	Owner func(entryID string) string
}

// Listed is one item of a page: an aggregate as stored, and the entry it
// places in the queue read.
type Listed[S any] struct {
	Item  S
	Entry Entry
}

// Page reads a page of the queues, merged in key order (PageMerged), loads
// the aggregates its entries name (Load) and returns each entry whose
// aggregate, as stored, still places it so: in one of the queues, at the
// entry's key, accepted by q.Match. The index follows the aggregates'
// writes and may lag one (Maintained), so a page is only as good as the
// aggregates it names. It returns the key to continue after.
func (l Listing[S]) Page(ctx context.Context, queues []string, q Query) ([]Listed[S], string, error) {
	if l.Index == nil {
		return nil, "", fmt.Errorf("cannot list %s: %w", l.What, ErrNoIndex)
	}
	entries, next, err := l.Index.PageMerged(ctx, queues, q)
	if err != nil {
		return nil, "", fmt.Errorf("while listing %s: %w", l.What, err)
	}
	owner := l.Owner
	if owner == nil {
		owner = func(id string) string { return id }
	}
	var ids []Entry
	seen := map[string]bool{}
	for _, e := range entries {
		if id := owner(e.ID); !seen[id] {
			seen[id] = true
			ids = append(ids, Entry{ID: id})
		}
	}
	loaded, err := Load(ctx, ids, l.Get)
	if err != nil {
		return nil, "", fmt.Errorf("while reading %s: %w", l.What, err)
	}
	// Each aggregate as stored, by the entries it places in the queues
	// read; the page keeps its own order.
	type at struct{ id, key string }
	still := map[at]Listed[S]{}
	for _, s := range loaded {
		for _, p := range l.Place(s) {
			if slices.Contains(queues, p.Queue) && (q.Match == nil || q.Match(p.Entry)) {
				still[at{p.Entry.ID, p.Entry.Key}] = Listed[S]{Item: s, Entry: p.Entry}
			}
		}
	}
	out := make([]Listed[S], 0, len(entries))
	for _, e := range entries {
		if found, ok := still[at{e.ID, e.Key}]; ok {
			out = append(out, found)
		}
	}
	return out, next, nil
}

// Items is Page's aggregates alone, in its order: for a queue with one
// entry an aggregate.
func (l Listing[S]) Items(ctx context.Context, queues []string, q Query) ([]S, string, error) {
	listed, next, err := l.Page(ctx, queues, q)
	if err != nil {
		return nil, "", err
	}
	out := make([]S, len(listed))
	for i, found := range listed {
		out[i] = found.Item
	}
	return out, next, nil
}
