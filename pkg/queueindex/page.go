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
// queue to fill it. So a page costs at most maxBucketsPerPage reads of
// buckets and their pages and scans at most scanPerItem entries per item
// asked for, whatever the queue holds.
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
	r := pageReader{ix: ix, q: q}
	for _, day := range q.days(dir.Days) {
		full, err := r.bucket(ctx, bucketID(queue, day), day)
		if err != nil {
			return nil, "", fmt.Errorf("while reading queue %s: %w", queue, err)
		}
		if full {
			return r.out, r.cursor(), nil
		}
	}
	return r.out, "", nil
}

// pageReader reads one page of a queue, bucket by bucket.
type pageReader struct {
	ix      *Index
	q       Query
	out     []Entry
	last    string // the last key scanned in range
	edge    string // a key past every document read, in reading order
	reads   int
	scanned int
	stop    bool // the page is full, or read as far as it may be
}

func (r *pageReader) cursor() string {
	if r.last != "" {
		return r.last
	}
	return r.edge
}

// get reads document id, or reports that the page has read as much as
// it may (then stop is set).
func (r *pageReader) get(ctx context.Context, id string) (Doc, bool, error) {
	if (r.reads >= maxBucketsPerPage || r.scanned >= scanPerItem*r.q.Limit) && r.cursor() != "" {
		r.stop = true
		return Doc{}, false, nil
	}
	r.reads++
	d, err := r.ix.Docs.Get(ctx, id)
	if errors.Is(err, docstore.ErrNotFound) {
		return Doc{}, false, nil
	}
	return d, err == nil, err
}

// bucket reads the bucket of day and reports whether the page ended in it.
func (r *pageReader) bucket(ctx context.Context, id, day string) (bool, error) {
	b, ok, err := r.get(ctx, id)
	if err != nil || r.stop {
		return r.stop, err
	}
	if ok && len(b.Pages) > 0 {
		if err := r.pages(ctx, id, day, parseRefs(b.Pages)); err != nil || r.stop {
			return r.stop, err
		}
	} else if ok && r.scan(b.Entries) {
		return true, nil
	}
	r.edge = dayEdge(day, r.q.Descending)
	return false, nil
}

// pages reads a paged bucket's pages the query can reach, in reading order.
func (r *pageReader) pages(ctx context.Context, bucket, day string, refs []pageRef) error {
	order := make([]int, 0, len(refs))
	for i, ref := range refs {
		until := ""
		if i+1 < len(refs) {
			until = refs[i+1].from
		}
		if !ref.empty && r.q.pageInRange(ref.from, until) {
			order = append(order, i)
		}
	}
	if r.q.Descending {
		slices.Reverse(order)
	}
	for _, i := range order {
		// A page's run: the page and any split from it that the directory
		// does not list yet (see paged.go), reached through Next.
		var run []Doc
		ref := refs[i]
		for {
			p, ok, err := r.get(ctx, pageID(bucket, ref.name))
			if err != nil || r.stop {
				return err
			}
			if !ok {
				break
			}
			run = append(run, p)
			if p.Until == "" || i+1 < len(refs) && p.Until >= refs[i+1].from {
				break
			}
			ref = pageRef{from: p.Until, name: p.Next}
		}
		if r.q.Descending {
			slices.Reverse(run)
		}
		for _, p := range run {
			if r.scan(p.Entries) {
				r.stop = true
				return nil
			}
			switch {
			case r.q.Descending && p.From != "":
				r.edge = p.From
			case r.q.Descending:
				r.edge = dayEdge(day, true)
			case len(p.Entries) > 0:
				r.edge = keyOfPacked(p.Entries[len(p.Entries)-1])
			}
		}
	}
	return nil
}

// scan adds the entries in range that the query matches, in reading
// order, and reports whether the page is full.
func (r *pageReader) scan(packed []string) bool {
	q := r.q
	for j := range packed {
		p := packed[j]
		if q.Descending {
			p = packed[len(packed)-1-j]
		}
		if !q.inRange(keyOfPacked(p)) {
			continue
		}
		if len(r.out) == q.Limit {
			return true
		}
		e := unpack(p)
		r.last = e.Key
		r.scanned++
		if q.Match == nil || q.Match(e) {
			r.out = append(r.out, e)
		}
	}
	return false
}

// pageInRange reports whether the query can reach keys from from (empty:
// the bucket's start) until until (empty: its end).
func (q Query) pageInRange(from, until string) bool {
	if until != "" && (q.From != "" && until <= q.From || q.After != "" && !q.Descending && until <= q.After) {
		return false
	}
	return (q.Before == "" || from < q.Before) && (q.After == "" || !q.Descending || from < q.After)
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
