package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/dueindex"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// recheckWithin is the longest a mediation the sweep could still change
// goes unchecked. Its next check is computed under the county's policy at
// the time of the write, so a policy changed later (a shorter deadline, a
// new joint meeting trigger) reaches it at its next check at the latest:
// within a day, at the cost of one read a day per open mediation.
const recheckWithin = 24 * time.Hour

// Sweepable reports whether a deadline can still change m: it is open, or
// resolved with a term still awaiting performance.
func Sweepable(m mediation.Mediation) bool {
	return m.IsOpen() || (m.Status == mediation.StatusResolved && m.Performance != nil && m.Performance.Open())
}

// NextCheck is when the sweep should read m next under its county's live
// policy, and false when no deadline can change it any more.
func (a *App) NextCheck(m mediation.Mediation) (time.Time, bool) {
	if !Sweepable(m) {
		return time.Time{}, false
	}
	p, risk := a.policy(m.CountyCode), policy.RiskLevel(m.RiskLevel)
	now := a.Now()
	at, ok := m.NextCheck(mediation.Context{Now: now, Tier: tiers.RuleFor(p, risk), Meeting: jointmeeting.RuleFor(p, risk)})
	if horizon := now.Add(recheckWithin); !ok || at.After(horizon) {
		at = horizon
	}
	return at, true
}

// IndexedMediations files a mediation in the due index whenever a write
// moves its next check (dueindex.Filed), so the deadline sweep reads the
// mediations that came due instead of every open one.
type IndexedMediations struct {
	mediationReads
	dueindex.Filed[mediation.Mediation]
}

// IndexMediations wraps m so that its writes file mediations in due at
// their next check (App.NextCheck).
func IndexMediations(m Mediations, due *dueindex.Index, nextCheck func(mediation.Mediation) (time.Time, bool), now func() time.Time) IndexedMediations {
	return IndexedMediations{m, dueindex.Filed[mediation.Mediation]{Inner: m, Due: due, Now: now, Next: nextCheck}}
}

// sweepDue checks the mediations the due index says came due, and files
// again those a deadline can still change, at their next check: a
// mediation filed at recheckWithin, or read again within the index's lag,
// is not otherwise filed anew.
func (a *App) sweepDue(ctx context.Context) (int, error) {
	ids, advance, err := a.Due.Due(ctx, a.Now())
	if err != nil {
		return 0, fmt.Errorf("while reading the mediations that came due: %w", err)
	}
	changed := 0
	for _, id := range ids {
		m, err := a.Mediations.GetVisible(ctx, id, func(mediation.Mediation) bool { return true })
		if errors.Is(err, docstore.ErrNotFound) {
			continue // filed by a write that failed
		}
		if err != nil {
			return changed, fmt.Errorf("while reading mediation %s to sweep: %w", id, err)
		}
		if !Sweepable(m) {
			continue
		}
		after, ok, err := a.sweepOne(ctx, m)
		if err != nil {
			return changed, err
		}
		if ok {
			changed++
			continue // the write filed its next check
		}
		if next, due := a.NextCheck(after); due {
			if err := a.Due.File(ctx, id, next, a.Now()); err != nil {
				return changed, err
			}
		}
	}
	return changed, advance(ctx)
}

// EnsureDueIndex files every mediation a deadline can still change in the
// due index when the index does not say it was built: once, on a store
// written before it existed. It reads every open mediation and every
// agreement under performance, so it runs at start-up.
func (a *App) EnsureDueIndex(ctx context.Context, now time.Time, log *slog.Logger) error {
	filed, err := a.Due.Build(ctx, now, func(ctx context.Context) ([]dueindex.Due, error) {
		sweepable, err := a.sweepable(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]dueindex.Due, 0, len(sweepable))
		for _, m := range sweepable {
			if at, ok := a.NextCheck(m); ok {
				out = append(out, dueindex.Due{ID: m.ID, At: at})
			}
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("while building the mediations' due index: %w", err)
	}
	if filed > 0 && log != nil {
		log.Info("mediations' due index built", "mediations", filed)
	}
	return nil
}
