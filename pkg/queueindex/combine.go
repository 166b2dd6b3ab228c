package queueindex

import (
	"context"
	"errors"

	"fengqiao.dev/pkg/docstore"
)

// writeTimeout bounds one write of a queue's document: the document's
// other writers' patience and the write itself.
const writeTimeout = 2 * sharedPatience

// apply makes e in the next write of document id (package combine): a
// queue's directory and buckets are shared by every aggregate of the queue
// and week, and at tens of disputes a second each POST otherwise rewrote
// its county's bucket in turn, behind every other (a bucket's writes are
// combined the same way, by applyBucket). It returns the document as that
// write left it. create allows the document not to exist yet.
func (ix *Index) apply(ctx context.Context, id string, create bool, e func(*Doc) bool) (Doc, error) {
	return ix.combine.Apply(ctx, id, create, e, writeTimeout, ix.write)
}

func (ix *Index) write(ctx context.Context, id string, create bool, decide func(*docstore.Change[Doc]) error) (Doc, error) {
	return ix.Docs.Update(ctx, id, docstore.Options{Create: create, Patience: sharedPatience}, func(ch *docstore.Change[Doc]) error {
		// The edits change the slice in place: they get a copy of their own.
		ch.State = Doc{Days: cloneStrings(ch.State.Days)}
		return decide(ch)
	})
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append(make([]string, 0, len(s)), s...)
}

// isNotFound reports docstore.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, docstore.ErrNotFound) }
