package app

import (
	"context"
	"errors"
	"fmt"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// EscalateOverdue escalates every owed revisit past its due date, once
// each, and returns how many. The
// decision is taken again inside each document's write, so two sweepers, or
// a result recorded meanwhile, never escalate a revisit twice. With a due
// index (App.DueIndex) it reads only the revisits filed as due since the last
// sweep, so its cost follows what is due, not what is stored.
func (a *App) EscalateOverdue(ctx context.Context) (int, error) {
	if a.DueIndex != nil {
		return a.escalateIndexed(ctx)
	}
	owed, err := a.Revisits.Scheduled(ctx)
	if err != nil {
		return 0, err
	}
	return a.escalate(ctx, owed)
}

// escalateIndexed escalates the revisits the due index filed up to now; the
// others it lists (completed, or due later) are passed over.
func (a *App) escalateIndexed(ctx context.Context) (int, error) {
	ids, advance, err := a.DueIndex.Due(ctx, a.Now())
	if err != nil {
		return 0, fmt.Errorf("while finding revisits due: %w", err)
	}
	owed := make([]revisit.Revisit, 0, len(ids))
	for _, id := range ids {
		r, err := a.Revisits.Get(ctx, id)
		if errors.Is(err, docstore.ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("while reading revisit %s: %w", id, err)
		}
		owed = append(owed, r)
	}
	n, err := a.escalate(ctx, owed)
	if err != nil {
		return n, err
	}
	return n, advance(ctx)
}

func (a *App) escalate(ctx context.Context, owed []revisit.Revisit) (int, error) {
	n := 0
	for _, r := range owed {
		if r.Escalated != "" || !r.Overdue(a.Now()) {
			continue
		}
		escalated := false
		_, err := a.Revisits.Update(ctx, r.ID, docstore.Options{}, func(ch *docstore.Change[revisit.Revisit]) error {
			esc := ch.State.EscalateIfOverdue(a.Now())
			if escalated = esc != nil; !escalated {
				return docstore.ErrNoChange
			}
			return ch.EmitEvents(ctx, a.Source, a.Now(), esc)
		})
		if err != nil {
			return n, err
		}
		if escalated {
			n++
		}
	}
	return n, nil
}
