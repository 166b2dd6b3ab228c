package queueindex

import (
	"context"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/precondition"
)

// Maintained keeps an aggregate's queue entries in step with its writes:
// every successful Update moves the entries its previous state placed to
// those its new state places (Placer). A service wraps its repository in
// it once, so no use case can change a state and forget a queue. A
// service embeds it beside its repository's reads, so the wrapper is the
// repository:
//
//	type queuedSlips struct {
//		slipReads
//		queueindex.Maintained[referral.Slip]
//	}
//
// Every write through it also holds to the state the request's If-Match
// names, when the request addresses the aggregate written
// (precondition.Guard): the writes of a queued aggregate are those its
// HTTP routes address.
//
// The entries are written after the aggregate, as two documents cannot be
// written atomically: an index write that fails (or a crash between the
// two) leaves the aggregate's entries as they were until its next write.
// That failure is logged, not returned: the change itself is stored, and
// telling the caller otherwise would make it retry what already happened.
// Readers check each aggregate a page names against the filter, so a
// stale entry shows nothing wrong, only a late one.
type Maintained[S any] struct {
	Inner docstore.Updater[S]
	Index *Index
	Place func(S) []Placed
}

// syncTimeout bounds the index writes that follow an aggregate's write.
const syncTimeout = 10 * time.Second

// Update is Inner's Update, guarded by the request's If-Match, followed by
// the index's.
func (m Maintained[S]) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[S]) error) (S, error) {
	decide = precondition.Guard(ctx, id, decide)
	var before []Placed
	s, err := m.Inner.Update(ctx, id, opts, func(ch *docstore.Change[S]) error {
		// Placed now, before decide changes the state it shares slices with.
		before = nil
		if ch.Exists {
			before = m.Place(ch.State)
		}
		return decide(ch)
	})
	if err != nil {
		return s, err
	}
	// The aggregate is written: its entries follow even if the request that
	// wrote it is cancelled now (its client gone), within a bound of their own.
	syncCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), syncTimeout)
	defer cancel()
	if err := m.Index.Sync(syncCtx, before, m.Place(s)); err != nil {
		slog.ErrorContext(ctx, "cannot update the work queues after a write", "id", id, "err", err)
	}
	return s, nil
}
