package docstore

import (
	"context"
	"errors"
	"fmt"
)

// Documents is what BuildOnce needs of a collection: a read and a write by
// _id. *Collection satisfies it, as do the repositories services declare
// over one.
type Documents[S any] interface {
	Get(ctx context.Context, id string) (S, error)
	Updater[S]
}

// Updater is the write of a collection by _id: what a wrapper that keeps
// something in step with a repository's writes (queueindex.Maintained,
// dueindex.Filed) needs of it.
type Updater[S any] interface {
	Update(ctx context.Context, id string, opts Options, decide func(*Change[S]) error) (S, error)
}

// BuildOnce runs build unless docs holds the document marker, then writes
// marker, and reports whether build ran. It is for a collection derived
// from another (an index, a counter kept per key): building it reads the
// whole source, so it happens once, on a store written before the derived
// collection existed or after it was dropped to be rebuilt. The marker is
// written only after build succeeded, so a build cut short runs again at
// the next start.
func BuildOnce[S any](ctx context.Context, docs Documents[S], marker string, build func() error) (bool, error) {
	if _, err := docs.Get(ctx, marker); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, fmt.Errorf("while checking for %s: %w", marker, err)
	}
	if err := build(); err != nil {
		return false, err
	}
	if _, err := docs.Update(ctx, marker, Options{Create: true}, func(*Change[S]) error { return nil }); err != nil {
		return false, fmt.Errorf("while writing %s: %w", marker, err)
	}
	return true, nil
}
