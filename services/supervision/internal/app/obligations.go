package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// obligationsMarker names the build of the obligations index in the
// index itself: a store written before it existed, or replayed, has none,
// and one built before the entries carried their disputes' keys has
// another name, so it is filed again.
const obligationsMarker = "obligations-with-keys"

// spanPage is how many entries one read of a span asks for while reading
// it whole. Each read reads the queue's directory again and the bucket the
// previous one stopped in, so a few large reads cost less than many small
// ones (a ledger owing 6,000 things: 350 ms in reads of 1,000, 190 ms in
// reads of 10,000).
const spanPage = 10_000

// indexObligations moves the obligations index from a case file's entries
// before a change to those after it (casefile.FiledObligations). Like
// countChange it runs after the case file's own write; moving the same
// change twice moves nothing more.
func (a *App) indexObligations(ctx context.Context, change string, before, after []queueindex.Placed) error {
	if a.Obligations == nil {
		return nil
	}
	if err := a.Obligations.Sync(ctx, before, after); err != nil {
		return fmt.Errorf("while filing the obligations of event %s: %w", change, err)
	}
	if err := a.recountChanged(ctx, before, after); err != nil {
		return fmt.Errorf("while counting the obligations of event %s: %w", change, err)
	}
	return nil
}

// EnsureObligations files every case file's obligations when the index
// does not say it was built: once, on a store written before it existed,
// and after a replay, which drops it. It reads every case file, so it runs
// at start-up only.
func (a *App) EnsureObligations(ctx context.Context) error {
	if a.Obligations == nil {
		return nil
	}
	n := 0
	err := queueindex.BuildFrom(ctx, a.Obligations, obligationsMarker, func(ctx context.Context) ([]casefile.CaseFile, error) {
		files, err := a.CaseFiles.All(ctx)
		n = len(files)
		return files, err
	}, casefile.FiledObligations)
	if err != nil {
		return err
	}
	if n > 0 && a.Log != nil {
		a.Log.Info("obligations index built", "case_files", n)
	}
	return nil
}

// readSpan reads every entry of a span of the obligations index.
func (a *App) readSpan(ctx context.Context, s casefile.Span) ([]casefile.Filed, error) {
	var out []casefile.Filed
	after := ""
	for {
		entries, next, err := a.Obligations.Page(ctx, s.Queue, queueindex.Query{After: after, From: s.From, Before: s.Before, Limit: spanPage})
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			out = append(out, casefile.FiledOf(s, e))
		}
		if next == "" {
			return out, nil
		}
		after = next
	}
}

func (a *App) readSpans(ctx context.Context, spans []casefile.Span) ([]casefile.Filed, error) {
	var out []casefile.Filed
	for _, s := range spans {
		filed, err := a.readSpan(ctx, s)
		if err != nil {
			return nil, err
		}
		out = append(out, filed...)
	}
	return out, nil
}

// Ledger is a county's daily ledger (日清日结) of day: read from the
// obligations index, what is owed due before the day's end and what was
// discharged within it, so it costs what the ledger holds, not what the
// county ever recorded.
func (a *App) Ledger(ctx context.Context, caller identity.Caller, county string, day time.Time) (casefile.Ledger, error) {
	if !caller.Covers(county) {
		return casefile.Ledger{}, ErrOtherCounty
	}
	return a.countyLedger(ctx, county, day)
}

func (a *App) countyLedger(ctx context.Context, county string, day time.Time) (casefile.Ledger, error) {
	now := a.Now().UTC()
	if a.Obligations == nil {
		files, err := a.CaseFiles.InCounty(ctx, county)
		if err != nil {
			return casefile.Ledger{}, err
		}
		return casefile.DailyLedger(files, day, now, a.Targets(county)), nil
	}
	filed, err := a.readSpans(ctx, casefile.LedgerSpans(county, day, a.Targets(county)))
	if err != nil {
		return casefile.Ledger{}, fmt.Errorf("while reading the ledger of %s: %w", county, err)
	}
	return casefile.LedgerFromIndex(filed, day, now), nil
}

// AreaLedger is the daily ledger of a prefecture or province: each
// county's counts, per unit. The items are each county's ledger's, or the
// area's overdue list's.
type AreaLedger struct {
	Day      string
	AsOf     time.Time
	DueToday int
	Overdue  int
	Closed   int
	Counties []casefile.LedgerCounts
}

// AreaLedgerOf is the daily ledger of day of the counties of a prefecture
// or province (area: the leading digits of their codes), from each one's
// obligations index.
func (a *App) AreaLedgerOf(ctx context.Context, caller identity.Caller, area string, day time.Time) (AreaLedger, error) {
	if !caller.Covers(area) {
		return AreaLedger{}, ErrOtherCounty
	}
	counties, err := a.countiesIn(ctx, area)
	if err != nil {
		return AreaLedger{}, err
	}
	out := AreaLedger{AsOf: a.Now().UTC(), Counties: []casefile.LedgerCounts{}}
	start := day.In(casefile.China)
	out.Day = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, casefile.China).Format(time.DateOnly)
	for _, county := range counties {
		l, err := a.countyLedger(ctx, county, day)
		if err != nil {
			return AreaLedger{}, err
		}
		c := casefile.CountsOf(county, l)
		out.DueToday, out.Overdue, out.Closed = out.DueToday+c.DueToday, out.Overdue+c.Overdue, out.Closed+c.Closed
		out.Counties = append(out.Counties, c)
	}
	return out, nil
}

// countiesIn are the counties whose codes start with area that the
// platform has counted anything of, in code order.
func (a *App) countiesIn(ctx context.Context, area string) ([]string, error) {
	if identity.CountyCode(area) {
		return []string{area}, nil
	}
	tallies, err := a.talliesIn(ctx, area)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(tallies))
	for i, t := range tallies {
		out[i] = t.CountyCode
	}
	return out, nil
}

// OverduePage is a page of the obligations of a county, prefecture or
// province (area: a county's code or the leading digits of its counties')
// overdue now, the longest overdue first, continuing after the key
// (cursor) the previous page ended at.
func (a *App) OverduePage(ctx context.Context, caller identity.Caller, area, after string, limit int) ([]casefile.OverdueItem, string, error) {
	if !caller.Covers(area) {
		return nil, "", ErrOtherCounty
	}
	if a.Obligations == nil {
		return nil, "", fmt.Errorf("cannot list the overdue obligations without their index")
	}
	counties, err := a.countiesIn(ctx, area)
	if err != nil {
		return nil, "", err
	}
	now := a.Now().UTC()
	var spans []casefile.Span
	for _, county := range counties {
		spans = append(spans, casefile.OverdueSpans(county, now, a.Targets(county))...)
	}
	filed, next, err := a.pageMerged(ctx, spans, after, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]casefile.OverdueItem, len(filed))
	for i, f := range filed {
		out[i] = casefile.OverdueItemOf(f)
	}
	return out, next, nil
}

// pageMerged pages spans as one list ordered by due time
// (casefile.ObligationKey). Each span keys its entries by its own time
// (a dispute to settle by its round's start), so the cursor is moved into
// each span's keys to read it, and each span's keys out of them to merge.
// A span whose page ended early bounds the merged page: past its end it
// may hold entries not read yet, which the next page starts with.
func (a *App) pageMerged(ctx context.Context, spans []casefile.Span, after string, limit int) ([]casefile.Filed, string, error) {
	type keyed struct {
		key   string
		filed casefile.Filed
	}
	var all []keyed
	bound := ""
	for _, s := range spans {
		q := queueindex.Query{From: s.From, Before: s.Before, Limit: limit}
		if after != "" {
			q.After = casefile.ShiftKey(after, -s.Shift)
		}
		entries, next, err := a.Obligations.Page(ctx, s.Queue, q)
		if err != nil {
			return nil, "", fmt.Errorf("while reading the overdue obligations of %s: %w", s.County, err)
		}
		for _, e := range entries {
			all = append(all, keyed{casefile.ObligationKey(s, e), casefile.FiledOf(s, e)})
		}
		if next != "" {
			if n := casefile.ShiftKey(next, s.Shift); bound == "" || n < bound {
				bound = n
			}
		}
	}
	slices.SortFunc(all, func(x, y keyed) int { return cmp.Compare(x.key, y.key) })
	if bound != "" {
		all = slices.DeleteFunc(all, func(k keyed) bool { return k.key > bound })
	}
	next := bound
	if len(all) > limit {
		all = all[:limit]
		next = all[limit-1].key
	}
	out := make([]casefile.Filed, len(all))
	for i, k := range all {
		out[i] = k.filed
	}
	return out, next, nil
}

// overdueDisputes are the IDs of a county's open disputes the index says
// are overdue at now: a copy past its acceptance deadline, or past the
// resolution deadline.
func (a *App) overdueDisputes(ctx context.Context, county string, now time.Time) ([]queueindex.Entry, error) {
	filed, err := a.readSpans(ctx, casefile.OverdueDisputeSpans(county, now, a.Targets(county)))
	if err != nil {
		return nil, fmt.Errorf("while reading the overdue disputes of %s: %w", county, err)
	}
	ids := make([]string, 0, len(filed))
	for _, f := range filed {
		ids = append(ids, f.Item.DisputeID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]queueindex.Entry, len(ids))
	for i, id := range ids {
		out[i] = queueindex.Entry{ID: id}
	}
	return out, nil
}
