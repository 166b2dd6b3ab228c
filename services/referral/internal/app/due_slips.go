package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/services/referral/internal/referral"
)

// IndexedSlips files a slip in the due index whenever a write moves its
// next check, before the write itself, so the deadline sweep reads the
// slips that came due instead of every slip. Filing first keeps the index
// a superset of what is due (a write that then fails leaves an entry the
// sweep checks and passes over), so no deadline is missed.
type IndexedSlips struct {
	Slips
	Due *dueindex.Index
	Now func() time.Time
}

// Update is Slips.Update, filing the slip when decide moves its next check.
func (s IndexedSlips) Update(ctx context.Context, id string, opts docstore.Options, decide func(*docstore.Change[referral.Slip]) error) (referral.Slip, error) {
	return s.Slips.Update(ctx, id, opts, func(ch *docstore.Change[referral.Slip]) error {
		var before *time.Time
		if ch.State.NextCheckAt != nil {
			at := *ch.State.NextCheckAt
			before = &at
		}
		if err := decide(ch); err != nil {
			return err
		}
		if next := ch.State.NextCheckAt; next != nil && !sameTime(before, next) {
			return s.Due.File(ctx, id, *next, s.Now())
		}
		return nil
	})
}

// EnsureDueIndex files every slip with a next check in the due index when
// the index does not say it was built: once, on a store written before it
// existed. It reads every slip with a next check, so it runs at start-up.
func EnsureDueIndex(ctx context.Context, due *dueindex.Index, slips Slips, now time.Time, log *slog.Logger) error {
	filed, err := due.Build(ctx, now, func(ctx context.Context) ([]dueindex.Due, error) {
		pending, err := slips.Pending(ctx)
		if err != nil {
			return nil, fmt.Errorf("while reading the slips to index by deadline: %w", err)
		}
		out := make([]dueindex.Due, 0, len(pending))
		for _, s := range pending {
			out = append(out, dueindex.Due{ID: s.ID, At: *s.NextCheckAt})
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("while building the slips' due index: %w", err)
	}
	if filed > 0 && log != nil {
		log.Info("slips' due index built", "slips", filed)
	}
	return nil
}
