// Package combine makes the concurrent changes of one shared document in
// as few writes as it can: the changes that arrive while the document is
// being written are gathered and made together in its next write, one load
// and one save for all of them. Each caller still returns only once its own
// change is stored, or has failed.
//
// The documents it is for are those many aggregates' writes share (a work
// queue's week, a due index's second): under load each writer otherwise
// loads and saves the whole document in turn, under its lock, and the
// writers queue behind one another.
package combine

import (
	"context"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// Edit changes a document's state in place and reports whether it changed
// anything. It may run more than once (docstore's decide does), so it must
// be free of side effects.
type Edit[S any] func(*S) bool

// WriteFunc makes one docstore write of document id (Create set to
// create) whose decide is decide.
type WriteFunc[S any] func(ctx context.Context, id string, create bool, decide func(*docstore.Change[S]) error) (S, error)

// Writes gathers the edits of documents and runs one write of a document
// at a time. The zero value is ready to use.
type Writes[S any] struct {
	mu      sync.Mutex
	next    map[string]*pending[S]
	running map[string]bool
}

// pending is the edits gathered for the next write of one document.
type pending[S any] struct {
	edits  []Edit[S]
	create bool
	done   chan struct{}
	// Set before done is closed.
	state S
	err   error
}

// Apply makes e in the next write of document id, made with write, and
// returns the document as that write left it and the write's error.
// create allows the document not to exist yet; without it (and without
// another edit of the same write allowing it), a missing document is
// write's docstore.ErrNotFound. A caller whose ctx ends first gets ctx's
// error, and its edit may still be made. timeout bounds each write.
func (w *Writes[S]) Apply(ctx context.Context, id string, create bool, e Edit[S], timeout time.Duration, write WriteFunc[S]) (S, error) {
	w.mu.Lock()
	if w.next == nil {
		w.next, w.running = map[string]*pending[S]{}, map[string]bool{}
	}
	p := w.next[id]
	if p == nil {
		p = &pending[S]{done: make(chan struct{})}
		w.next[id] = p
	}
	p.edits = append(p.edits, e)
	p.create = p.create || create
	if !w.running[id] {
		w.running[id] = true
		// Detached from the caller: the writes it runs are other callers'
		// too, each bounded by timeout.
		go w.run(context.WithoutCancel(ctx), id, timeout, write)
	}
	w.mu.Unlock()
	select {
	case <-p.done:
		return p.state, p.err
	case <-ctx.Done():
		var zero S
		return zero, ctx.Err()
	}
}

// Gathered is how many edits wait for the next write of document id.
func (w *Writes[S]) Gathered(id string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if p := w.next[id]; p != nil {
		return len(p.edits)
	}
	return 0
}

// run writes document id's gathered edits until none are left.
func (w *Writes[S]) run(ctx context.Context, id string, timeout time.Duration, write WriteFunc[S]) {
	for {
		w.mu.Lock()
		p := w.next[id]
		delete(w.next, id)
		if p == nil {
			delete(w.running, id)
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		wctx, cancel := context.WithTimeout(ctx, timeout)
		p.state, p.err = write(wctx, id, p.create, decide(p.edits))
		cancel()
		close(p.done)
	}
}

// decide makes every edit; none changing anything is docstore.ErrNoChange.
func decide[S any](edits []Edit[S]) func(*docstore.Change[S]) error {
	return func(ch *docstore.Change[S]) error {
		changed := false
		for _, e := range edits {
			if e(&ch.State) {
				changed = true
			}
		}
		if !changed {
			return docstore.ErrNoChange
		}
		return nil
	}
}
