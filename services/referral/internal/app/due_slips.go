package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/services/referral/internal/referral"
)

// nextCheck is when the slip's next deadline check is, if it has one.
func nextCheck(s referral.Slip) (time.Time, bool) {
	if s.NextCheckAt == nil {
		return time.Time{}, false
	}
	return *s.NextCheckAt, true
}

// IndexedSlips files a slip in the due index whenever a write moves its
// next check (dueindex.Filed), so the deadline sweep reads the slips that
// came due instead of every slip.
type IndexedSlips struct {
	slipReads
	dueindex.Filed[referral.Slip]
}

// IndexSlips wraps s so that its writes file slips in due.
func IndexSlips(s Slips, due *dueindex.Index, now func() time.Time) IndexedSlips {
	return IndexedSlips{s, dueindex.Filed[referral.Slip]{Inner: s, Due: due, Now: now, Next: nextCheck}}
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
