package queueindex

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"fengqiao.dev/pkg/docstore"
)

// A week bucket starts as one document holding its entries. Past
// pageBytes it becomes a paged bucket: its entries move into page
// documents ("<bucket>/<name>"), each holding a contiguous key range, and
// the bucket document keeps only the directory of its pages (their first
// keys). A write then loads and saves the pages its entries fall in,
// whatever the week holds, routed by the directory as this process last
// saw it; a page past pageBytes splits, and only a split or a page
// emptying or filling again writes the directory.
//
// A page records its own range (From, Until) and the page that follows it
// (Next), so the directory is only a guide: a writer sent to a page by a
// directory older than a split finds its key past the page's Until and
// follows Next. A split writes the new pages first, then cuts the page
// split (a compare-and-set on the entries it read), then lists the new
// pages; a crash between the last two leaves them reachable through Next,
// and the next writer sent there lists them. Pages never merge: one that
// empties is marked empty in the directory (as an emptied day is unlisted
// from its queue's) and skipped by readers.
//
// pageBytes weighs a write against the directory: smaller pages make
// cheaper writes but a longer directory, which a reader of the bucket
// reads whole and which must stay within a document's 16 MB. At 32 KiB a
// page holds 140 to 280 entries of a dispute queue, and the directory of a
// week that took 50 of them a second throughout (30 million) stays under
// 16 MB (about 15 MB should every page be half full).
const (
	pageBytes = 32 << 10
	// packedOverhead is what an array element costs beside its string.
	packedOverhead = 8
)

// pageLimit is the size past which a bucket or page splits. A split
// leaves half of it in each page, so that a page takes a while to split
// again.
func (ix *Index) pageLimit() int {
	if ix.pageSize > 0 {
		return ix.pageSize
	}
	return pageBytes
}

// packedSize is what entries weigh in a document.
func packedSize(entries []string) int {
	n := 0
	for _, s := range entries {
		n += len(s) + packedOverhead
	}
	return n
}

// pageRef is one page in a bucket's directory.
type pageRef struct {
	// from is the page's first key ("" for the bucket's first page).
	from, name string
	empty      bool
}

// emptyMark ends a directory line of an empty page.
const emptyMark = "\n-"

func (r pageRef) String() string {
	s := r.from + "\n" + r.name
	if r.empty {
		s += emptyMark
	}
	return s
}

func parseRefs(lines []string) []pageRef {
	refs := make([]pageRef, 0, len(lines))
	for _, l := range lines {
		r := pageRef{}
		r.empty = strings.HasSuffix(l, emptyMark)
		l = strings.TrimSuffix(l, emptyMark)
		r.from, r.name, _ = strings.Cut(l, "\n")
		refs = append(refs, r)
	}
	return refs
}

func formatRefs(refs []pageRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.String()
	}
	return out
}

// route is the directory's page for key: the last one starting at or
// before it.
func route(refs []pageRef, key string) int {
	i, _ := slices.BinarySearchFunc(refs, key, func(r pageRef, k string) int {
		if r.from <= k {
			return -1
		}
		return 1
	})
	return max(i-1, 0)
}

func pageID(bucket, name string) string { return bucket + "/" + name }

// newPageName names a page: never two alike, so that a page written by a
// split that then lost its race is never mistaken for a listed one.
func newPageName() string { return strconv.FormatUint(rand.Uint64(), 36) }

// hasEntries reports whether a bucket document holds entries.
func hasEntries(d Doc) bool {
	return len(d.Entries) > 0 || slices.ContainsFunc(parseRefs(d.Pages), func(r pageRef) bool { return !r.empty })
}

type opKind int

const (
	opPut    opKind = iota // add or replace by ID
	opRemove               // take out by key
	opDrop                 // take out by ID
	opMove                 // take out by ID, but for the entry at the ID's new key
)

// op is one write's change of a bucket.
type op struct {
	kind    opKind
	entries []Entry
	// keep is, for opMove, the key each ID moved to.
	keep map[string]string
}

// with is o's change for entries.
func (o op) with(entries []Entry) op { return op{kind: o.kind, entries: entries, keep: o.keep} }

// batch is the ops gathered for one write of a bucket (package combine),
// and what that write left: whether the bucket still holds entries.
type batch struct {
	ops   []op
	empty bool
}

// applyOps makes ops on packed (sorted by key), in place, and reports
// whether anything changed and the drops and moves whose IDs it does not
// hold.
func applyOps(packed []string, ops []op) ([]string, bool, []op) {
	changed := false
	var unmatched []op
	for _, o := range ops {
		before := len(packed)
		switch o.kind {
		case opPut:
			packed = merge(packed, o.entries)
			changed = true // a replaced entry may differ only in attributes
		case opRemove:
			packed = slices.DeleteFunc(packed, func(x string) bool {
				k := keyOfPacked(x)
				return slices.ContainsFunc(o.entries, func(e Entry) bool { return e.Key == k })
			})
		case opDrop, opMove:
			var missing []Entry
			for _, e := range o.entries {
				held := false
				packed = slices.DeleteFunc(packed, func(x string) bool {
					k := keyOfPacked(x)
					if idOf(k) != e.ID {
						return false
					}
					held = true
					return o.kind == opDrop || k != o.keep[e.ID]
				})
				if !held {
					missing = append(missing, e)
				}
			}
			if len(missing) > 0 {
				unmatched = append(unmatched, o.with(missing))
			}
		}
		changed = changed || len(packed) != before
	}
	return packed, changed, unmatched
}

// errPaged ends a write of a bucket document that turned out to be a
// directory: its entries go to its pages.
var errPaged = errors.New("a paged bucket")

// errMoved ends a split whose page changed since it was read.
var errMoved = errors.New("the page changed while it was split")

// applyBucket makes o in the next write of the bucket (package combine).
func (ix *Index) applyBucket(ctx context.Context, queue, day string, create bool, o op) (batch, error) {
	return ix.buckets.Apply(ctx, bucketID(queue, day), create, func(b *batch) bool {
		b.ops = append(b.ops, o)
		return true
	}, writeTimeout, ix.writeBucket)
}

// writeBucket makes the gathered ops: in the bucket document while it
// holds its entries, in its pages once it is paged.
func (ix *Index) writeBucket(ctx context.Context, id string, create bool, decide func(*docstore.Change[batch]) error) (batch, error) {
	var gathered docstore.Change[batch]
	if err := decide(&gathered); err != nil && !errors.Is(err, docstore.ErrNoChange) {
		return batch{}, err
	}
	ops := gathered.State.ops
	if dir := ix.knownPages(id); dir != nil {
		b, err := ix.writePages(ctx, id, dir, ops)
		if !isNotFound(err) {
			return b, err
		}
		// The bucket is gone from under the directory remembered (its
		// collection dropped): it is read again. The ops may be made
		// twice; each is the same made again.
		ix.forgetPages(id)
	}
	var dir []pageRef
	state, err := ix.Docs.Update(ctx, id, docstore.Options{Create: create, Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
		if len(ch.State.Pages) > 0 {
			dir = parseRefs(ch.State.Pages)
			return errPaged
		}
		// The edits change the slice in place: they get a copy of their own.
		entries, changed, _ := applyOps(cloneStrings(ch.State.Entries), ops)
		if !changed {
			return docstore.ErrNoChange
		}
		ch.State = Doc{Entries: entries}
		return nil
	})
	if errors.Is(err, errPaged) {
		ix.rememberPages(id, dir)
		return ix.writePages(ctx, id, dir, ops)
	}
	if err != nil {
		return batch{}, err
	}
	if packedSize(state.Entries) > ix.pageLimit() {
		// The write is stored: paging the bucket is for the next ones, and
		// one that fails is tried again by the next write.
		refs, err := ix.splitDoc(ctx, id, id, state, true)
		if err != nil {
			slog.WarnContext(ctx, "cannot page a week bucket", "bucket", id, "err", err)
		}
		ix.rememberPages(id, refs)
	}
	return batch{empty: len(state.Entries) == 0}, nil
}

// maxKnownPages bounds the directories remembered.
const maxKnownPages = 10_000

// knownPages is the directory of bucket as last seen here, if it is paged.
func (ix *Index) knownPages(bucket string) []pageRef {
	ix.dirsMu.Lock()
	defer ix.dirsMu.Unlock()
	return ix.dirs[bucket]
}

func (ix *Index) forgetPages(bucket string) {
	ix.dirsMu.Lock()
	defer ix.dirsMu.Unlock()
	delete(ix.dirs, bucket)
}

func (ix *Index) rememberPages(bucket string, refs []pageRef) {
	if len(refs) == 0 {
		return
	}
	ix.dirsMu.Lock()
	defer ix.dirsMu.Unlock()
	if ix.dirs == nil || len(ix.dirs) >= maxKnownPages {
		ix.dirs = map[string][]pageRef{}
	}
	ix.dirs[bucket] = refs
}

// pageWrite is what one page's write changed in the directory.
type pageWrite struct {
	name      string
	from      string // the page's first key, to list a page found by Next
	filled    bool   // from empty to holding entries
	emptied   bool   // from holding entries to empty
	added     []pageRef
	unmatched []op // drops and moves whose IDs its page did not hold
}

// writePages makes ops in a paged bucket: each page the entries fall in is
// written once, the pages side by side, then the directory once if a page
// split, filled or emptied.
func (ix *Index) writePages(ctx context.Context, bucket string, dir []pageRef, ops []op) (batch, error) {
	routed := map[int][]op{}
	for _, o := range ops {
		byPage := map[int][]Entry{}
		for _, e := range o.entries {
			i := route(dir, e.Key)
			byPage[i] = append(byPage[i], e)
		}
		for i, es := range byPage {
			routed[i] = append(routed[i], o.with(es))
		}
	}
	var mu sync.Mutex
	var writes []pageWrite
	var jobs []func() error
	for i, pageOps := range routed {
		jobs = append(jobs, func() error {
			ws, err := ix.writePage(ctx, bucket, dir[i], pageOps, true)
			mu.Lock()
			writes = append(writes, ws...)
			mu.Unlock()
			return err
		})
	}
	err := all(jobs)
	// Drops and moves whose page did not hold their ID: it was filed under
	// another key, so every other page is looked through (rare: an entry
	// whose key its aggregate's earlier state no longer gives).
	var lost []op
	for _, w := range writes {
		lost = append(lost, w.unmatched...)
	}
	if err == nil && len(lost) > 0 {
		jobs = nil
		var d Doc
		if d, err = ix.Docs.Get(ctx, bucket); err != nil {
			return batch{}, fmt.Errorf("while reading the pages of %s: %w", bucket, err)
		}
		for _, r := range parseRefs(d.Pages) {
			if r.empty {
				continue
			}
			jobs = append(jobs, func() error {
				ws, err := ix.writePage(ctx, bucket, r, lost, false)
				mu.Lock()
				for _, w := range ws {
					w.unmatched = nil
					writes = append(writes, w)
				}
				mu.Unlock()
				return err
			})
		}
		err = all(jobs)
	}
	refs, derr := ix.listPages(ctx, bucket, dir, writes)
	if err = errors.Join(err, derr); err != nil {
		return batch{}, err
	}
	ix.rememberPages(bucket, refs)
	return batch{empty: !slices.ContainsFunc(refs, func(r pageRef) bool { return !r.empty })}, nil
}

// sideBySide is how many of a bucket's pages are written at once: the
// pages of one combined write, or the hundreds of a large bucket paged.
const sideBySide = 4

// all runs the jobs, a few side by side, and joins their errors.
func all(jobs []func() error) error {
	if len(jobs) == 1 {
		return jobs[0]()
	}
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, sideBySide)
	var wg sync.WaitGroup
	for i, j := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = j()
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writePage makes ops in page ref of bucket and splits it if it grew past
// pageBytes. With cut, the entries past the page's range go on to the
// page after it (Next); without, every op is made here (drops looked for
// by ID). It reports every page it wrote.
func (ix *Index) writePage(ctx context.Context, bucket string, ref pageRef, ops []op, cut bool) ([]pageWrite, error) {
	name := ref.name
	var past []op
	var w pageWrite
	state, err := ix.Docs.Update(ctx, pageID(bucket, name), docstore.Options{Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
		here := ops
		if cut {
			here, past = cutOps(ops, ch.State.Until)
		}
		w = pageWrite{name: name, from: ch.State.From}
		entries, changed, unmatched := applyOps(cloneStrings(ch.State.Entries), here)
		w.unmatched = unmatched
		w.filled = len(ch.State.Entries) == 0 && len(entries) > 0
		w.emptied = len(ch.State.Entries) > 0 && len(entries) == 0
		if !changed {
			return docstore.ErrNoChange
		}
		ch.State.Entries = entries
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("while writing page %s of %s: %w", name, bucket, err)
	}
	if packedSize(state.Entries) > ix.pageLimit() {
		added, err := ix.splitDoc(ctx, bucket, pageID(bucket, name), state, false)
		if err != nil {
			slog.WarnContext(ctx, "cannot split a page of a week bucket", "bucket", bucket, "page", name, "err", err)
		}
		w.added = added
	}
	writes := []pageWrite{w}
	if len(past) > 0 {
		// Split since the directory was read: the rest is further on.
		more, err := ix.writePage(ctx, bucket, pageRef{from: state.Until, name: state.Next}, past, true)
		if len(more) > 0 {
			more[0].added = append(more[0].added, pageRef{from: state.Until, name: state.Next})
		}
		writes = append(writes, more...)
		if err != nil {
			return writes, err
		}
	}
	return writes, nil
}

// cutOps parts ops into those of keys before until (all when until is
// empty) and those at or past it.
func cutOps(ops []op, until string) (here, past []op) {
	if until == "" {
		return ops, nil
	}
	for _, o := range ops {
		var h, p []Entry
		for _, e := range o.entries {
			if e.Key < until {
				h = append(h, e)
			} else {
				p = append(p, e)
			}
		}
		if len(h) > 0 {
			here = append(here, o.with(h))
		}
		if len(p) > 0 {
			past = append(past, o.with(p))
		}
	}
	return here, past
}

// splitDoc cuts the entries of document id (a page, or a bucket being
// paged) into runs of about half the page limit. The runs after the first go to new
// pages, written before anything names them; then id is cut to the first
// run (or, for a bucket, replaced by the directory of all runs' pages)
// only if its entries are still those read, so a write that came between
// is never lost: the split is then left for a later write.
func (ix *Index) splitDoc(ctx context.Context, bucket, id string, state Doc, whole bool) ([]pageRef, error) {
	runs := chunk(state.Entries, ix.pageLimit()/2)
	first := 1
	if whole {
		first = 0
	}
	if len(runs) <= first {
		return nil, nil
	}
	refs := make([]pageRef, len(runs))
	for i := range runs {
		refs[i] = pageRef{from: keyOfPacked(runs[i][0]), name: newPageName()}
	}
	if whole {
		refs[0].from = ""
	} else {
		refs[0] = pageRef{from: state.From}
	}
	pages := make([]Doc, len(runs))
	for i, run := range runs {
		pages[i] = Doc{Entries: run, From: refs[i].from, Until: state.Until, Next: state.Next}
		if i+1 < len(runs) {
			pages[i].Until, pages[i].Next = refs[i+1].from, refs[i+1].name
		}
	}
	jobs := make([]func() error, 0, len(runs))
	for i := first; i < len(runs); i++ {
		jobs = append(jobs, func() error {
			_, err := ix.Docs.Update(ctx, pageID(bucket, refs[i].name), docstore.Options{Create: true, AssumeNew: true, Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
				ch.State = pages[i]
				return nil
			})
			return err
		})
	}
	if err := all(jobs); err != nil {
		return nil, err
	}
	_, err := ix.Docs.Update(ctx, id, docstore.Options{Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
		if !slices.Equal(ch.State.Entries, state.Entries) || ch.State.Until != state.Until || len(ch.State.Pages) > 0 {
			return errMoved
		}
		if whole {
			ch.State = Doc{Pages: formatRefs(refs)}
		} else {
			ch.State = pages[0]
		}
		return nil
	})
	if errors.Is(err, errMoved) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if whole {
		return refs, nil
	}
	return refs[1:], nil
}

// chunk cuts packed into runs of about size bytes each, the last at least
// half of it.
func chunk(packed []string, size int) [][]string {
	var runs [][]string
	start, n, rest := 0, 0, packedSize(packed)
	for i, s := range packed {
		n += len(s) + packedOverhead
		rest -= len(s) + packedOverhead
		if n >= size && rest >= size/2 {
			runs = append(runs, packed[start:i+1])
			start, n = i+1, 0
		}
	}
	if start < len(packed) {
		runs = append(runs, packed[start:])
	}
	return runs
}

// listPages brings the directory up to the writes: it lists the pages
// splits added (or a writer found through Next), marks the pages emptied
// and unmarks those filled. A page marked emptied is read again after,
// and unmarked if a writer filled it meanwhile (as unlistDay does with a
// day). It returns the directory as left.
func (ix *Index) listPages(ctx context.Context, bucket string, dir []pageRef, writes []pageWrite) ([]pageRef, error) {
	var emptied []pageWrite
	needed := false
	for _, w := range writes {
		needed = needed || w.filled || w.emptied || len(w.added) > 0
		if w.emptied {
			emptied = append(emptied, w)
		}
	}
	if !needed {
		return dir, nil
	}
	refs, err := ix.editDirectory(ctx, bucket, func(refs []pageRef) []pageRef {
		for _, w := range writes {
			for _, a := range w.added {
				refs = listPage(refs, a)
			}
			if w.filled || w.emptied {
				refs = markPage(listPage(refs, pageRef{from: w.from, name: w.name}), w.name, w.emptied)
			}
		}
		return refs
	})
	if err != nil {
		return nil, err
	}
	var refilled []pageWrite
	for _, w := range emptied {
		p, err := ix.Docs.Get(ctx, pageID(bucket, w.name))
		if err != nil {
			return nil, fmt.Errorf("while rechecking page %s of %s: %w", w.name, bucket, err)
		}
		if len(p.Entries) > 0 {
			refilled = append(refilled, w)
		}
	}
	if len(refilled) == 0 {
		return refs, nil
	}
	return ix.editDirectory(ctx, bucket, func(refs []pageRef) []pageRef {
		for _, w := range refilled {
			refs = markPage(refs, w.name, false)
		}
		return refs
	})
}

// listPage adds r to the directory unless it is there.
func listPage(refs []pageRef, r pageRef) []pageRef {
	if slices.ContainsFunc(refs, func(x pageRef) bool { return x.name == r.name }) {
		return refs
	}
	i, _ := slices.BinarySearchFunc(refs, r.from, func(x pageRef, from string) int { return strings.Compare(x.from, from) })
	return slices.Insert(refs, i, r)
}

func markPage(refs []pageRef, name string, empty bool) []pageRef {
	if i := slices.IndexFunc(refs, func(x pageRef) bool { return x.name == name }); i >= 0 {
		refs[i].empty = empty
	}
	return refs
}

// editDirectory rewrites the directory of a paged bucket with edit.
func (ix *Index) editDirectory(ctx context.Context, bucket string, edit func([]pageRef) []pageRef) ([]pageRef, error) {
	d, err := ix.Docs.Update(ctx, bucket, docstore.Options{Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
		before := ch.State.Pages
		after := formatRefs(edit(parseRefs(before)))
		if slices.Equal(before, after) {
			return docstore.ErrNoChange
		}
		ch.State = Doc{Pages: after}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("while listing the pages of %s: %w", bucket, err)
	}
	return parseRefs(d.Pages), nil
}
