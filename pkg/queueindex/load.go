package queueindex

import (
	"context"
	"errors"
	"sync"

	"fengqiao.dev/pkg/docstore"
)

// loaders is how many of a page's aggregates are read at once: a page is
// one read by _id per item, and in turn they would cost a page of 200 two
// hundred round trips.
const loaders = 8

// Load reads the aggregates the entries name with get, a few at a time,
// in the entries' order; one that no longer exists (its entry was written
// before a write that failed) is left out.
func Load[S any](ctx context.Context, entries []Entry, get func(ctx context.Context, id string) (S, error)) ([]S, error) {
	found := make([]*S, len(entries))
	errs := make([]error, len(entries))
	sem := make(chan struct{}, loaders)
	var wg sync.WaitGroup
	for i, e := range entries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			s, err := get(ctx, e.ID)
			switch {
			case errors.Is(err, docstore.ErrNotFound):
			case err != nil:
				errs[i] = err
			default:
				found[i] = &s
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]S, 0, len(entries))
	for _, s := range found {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out, nil
}
