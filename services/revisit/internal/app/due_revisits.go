package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// IndexedRevisits files a revisit in the due index whenever a write
// schedules it or moves its due date (dueindex.Filed), so the overdue
// sweep reads the revisits that came due instead of every scheduled one.
type IndexedRevisits struct {
	revisitReads
	dueindex.Filed[revisit.Revisit]
}

// IndexRevisits wraps r so that its writes file owed revisits in due.
func IndexRevisits(r Revisits, due *dueindex.Index, now func() time.Time) IndexedRevisits {
	return IndexedRevisits{r, dueindex.Filed[revisit.Revisit]{Inner: r, Due: due, Now: now, Next: func(r revisit.Revisit) (time.Time, bool) {
		return r.DueBy, owed(r)
	}}}
}

// owed: a scheduled revisit not yet escalated, which the sweep may have
// to escalate once it is past due.
func owed(r revisit.Revisit) bool {
	return r.Status == revisit.StatusScheduled && r.Escalated == ""
}

// EnsureDueIndex files every owed revisit in the due index when the index
// does not say it was built: once, on a store written before it existed.
// It reads every scheduled revisit, so it runs at start-up.
func EnsureDueIndex(ctx context.Context, due *dueindex.Index, revisits Revisits, now time.Time, log *slog.Logger) error {
	filed, err := due.Build(ctx, now, func(ctx context.Context) ([]dueindex.Due, error) {
		scheduled, err := revisits.Scheduled(ctx)
		if err != nil {
			return nil, fmt.Errorf("while reading the revisits to index by due date: %w", err)
		}
		var out []dueindex.Due
		for _, r := range scheduled {
			if owed(r) {
				out = append(out, dueindex.Due{ID: r.ID, At: r.DueBy})
			}
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("while building the revisits' due index: %w", err)
	}
	if filed > 0 && log != nil {
		log.Info("revisits' due index built", "revisits", filed)
	}
	return nil
}
