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

// Query is a page to read from a queue.
type Query struct {
	// After is the key the previous page ended at (its cursor); empty
	// starts at the queue's beginning.
	After string
	// From (inclusive) and Before (exclusive) bound the keys; empty is
	// unbounded. KeyBound makes them from times.
	From, Before string
	// Descending reads the newest keys first.
	Descending bool
	Limit      int
	// Match, when set, keeps only the entries it accepts.
	Match func(Entry) bool
}

// What one page reads is bounded: a filter that matches few entries ends
// its page early, with a cursor where it stopped, rather than read a whole
// queue to fill it. So a page costs at most maxBucketsPerPage bucket reads
// and scans at most scanPerItem entries per item asked for, whatever the
// queue holds.
const (
	maxBucketsPerPage = 64
	scanPerItem       = 40
)

// Page returns up to q.Limit entries of the queue in key order and the key
// to continue after (empty when the queue has no more).
func (ix *Index) Page(ctx context.Context, queue string, q Query) ([]Entry, string, error) {
	dir, err := ix.Docs.Get(ctx, queue)
	if errors.Is(err, docstore.ErrNotFound) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("while reading queue %s: %w", queue, err)
	}
	days := q.days(dir.Days)
	var out []Entry
	last := ""
	scanned := 0
	for i, day := range days {
		if i == maxBucketsPerPage || scanned >= scanPerItem*q.Limit {
			if last == "" { // nothing in range yet: continue past the days read
				last = dayEdge(days[i-1], q.Descending)
			}
			return out, last, nil
		}
		b, err := ix.Docs.Get(ctx, bucketID(queue, day))
		if errors.Is(err, docstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("while reading queue %s: %w", queue, err)
		}
		packed := b.Entries
		if q.Descending {
			packed = slices.Clone(packed)
			slices.Reverse(packed)
		}
		for _, p := range packed {
			if !q.inRange(keyOfPacked(p)) {
				continue
			}
			e := unpack(p)
			if len(out) == q.Limit {
				return out, last, nil
			}
			last = e.Key
			scanned++
			if q.Match == nil || q.Match(e) {
				out = append(out, e)
			}
		}
	}
	return out, "", nil
}

// dayEdge is the key past every key of the bucket starting on day, in
// reading order.
func dayEdge(day string, descending bool) string {
	if descending {
		return day + "T000000.000000000Z/"
	}
	start, _ := time.Parse("20060102", day)
	return KeyBound(start.Add(bucketSpan-time.Nanosecond)) + "/\uffff"
}

// days are the directory's days the query can reach, in reading order.
func (q Query) days(all []string) []string {
	var out []string
	for _, d := range all {
		if q.dayInRange(d) {
			out = append(out, d)
		}
	}
	if q.Descending {
		slices.Reverse(out)
	}
	return out
}

func (q Query) dayInRange(d string) bool {
	if q.From != "" && d < dayOf(q.From) || q.Before != "" && d > dayOf(q.Before) {
		return false
	}
	if q.After == "" {
		return true
	}
	if q.Descending {
		return d <= dayOf(q.After)
	}
	return d >= dayOf(q.After)
}

func (q Query) inRange(k string) bool {
	if q.From != "" && k < q.From || q.Before != "" && k >= q.Before {
		return false
	}
	if q.After == "" {
		return true
	}
	if q.Descending {
		return k < q.After
	}
	return k > q.After
}

// PageMerged is Page over several queues at once, as one queue in key
// order: a list kept as one queue per state (so that a state's page never
// reads through the others' history) read without a state filter.
func (ix *Index) PageMerged(ctx context.Context, queues []string, q Query) ([]Entry, string, error) {
	if len(queues) == 1 {
		return ix.Page(ctx, queues[0], q)
	}
	var all []Entry
	bound := "" // the merged list is complete up to here
	for _, queue := range queues {
		entries, next, err := ix.Page(ctx, queue, q)
		if err != nil {
			return nil, "", err
		}
		all = append(all, entries...)
		if next != "" && (bound == "" || before(next, bound, q.Descending)) {
			bound = next
		}
	}
	slices.SortFunc(all, func(a, b Entry) int {
		if q.Descending {
			return strings.Compare(b.Key, a.Key)
		}
		return strings.Compare(a.Key, b.Key)
	})
	if bound != "" {
		// Past the bound, a queue that stopped early may hold entries
		// not read yet: the next page starts there.
		all = slices.DeleteFunc(all, func(e Entry) bool { return before(bound, e.Key, q.Descending) })
	}
	if len(all) > q.Limit {
		all = all[:q.Limit]
		return all, all[len(all)-1].Key, nil
	}
	return all, bound, nil
}

// before reports whether key a comes before b in reading order.
func before(a, b string, descending bool) bool {
	if descending {
		return a > b
	}
	return a < b
}
