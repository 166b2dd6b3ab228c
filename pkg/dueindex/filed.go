package dueindex

import (
	"context"
	"time"

	"fengqiao.dev/pkg/docstore"
)

// Filed files an aggregate in the due index whenever a write makes it come
// due or moves when it does, before the write itself, so a sweep reads
// the aggregates that came due instead of every one. Filing first keeps
// the index a superset of what is due (a write that then fails leaves an
// entry the sweep checks and passes over), so nothing due is missed. A
// service embeds it beside its repository's reads, as queueindex.Maintained.
type Filed[S any] struct {
	Inner docstore.Updater[S]
	Due   *Index
	Now   func() time.Time
	// Next is when the aggregate next comes due, if it does.
	Next func(S) (time.Time, bool)
}

// Update is Inner's Update, filing the aggregate when decide makes it due
// or moves when it is.
func (f Filed[S]) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[S]) error) (S, error) {
	return f.Inner.Update(ctx, id, opts, func(ch *docstore.Change[S]) error {
		before, was := f.Next(ch.State)
		if err := decide(ch); err != nil {
			return err
		}
		if next, ok := f.Next(ch.State); ok && (!was || !before.Equal(next)) {
			return f.Due.File(ctx, id, next, f.Now())
		}
		return nil
	})
}
