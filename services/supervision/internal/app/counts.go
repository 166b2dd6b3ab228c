package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// The counts of the obligations index (casefile.ObligationCounts): the
// ledger's overdue obligations by unit and officer and the figures'
// overdue disputes by key, read from one document per queue and the
// entries of one week, however many are overdue.

// countsBuilt marks a store whose counts were built; one written before
// them, or replayed, has none.
const countsBuilt = "built/obligation-counts"

// countsPatience is how long a write of a queue's counts waits for the
// queue's other writers: every change of the queue writes its document.
const countsPatience = 30 * time.Second

// filedOf are the entries a case file places in the obligations index:
// its obligations and, with counts kept, its entry among the county's
// overdue disputes under the county's deadlines now.
func (a *App) filedOf(cf casefile.CaseFile) []queueindex.Placed {
	out := casefile.FiledObligations(cf)
	if a.ObligationCounts != nil {
		out = append(out, casefile.FiledOverdue(cf, a.Targets(cf.CountyCode))...)
	}
	return out
}

// recountChanged counts again the weeks of the counted queues whose
// entries the move from before to after changed.
func (a *App) recountChanged(ctx context.Context, before, after []queueindex.Placed) error {
	if a.ObligationCounts == nil {
		return nil
	}
	weeks := map[string]map[time.Time]bool{}
	touch := func(p queueindex.Placed) {
		if !casefile.Counted(p.Queue) {
			return
		}
		w, ok := casefile.WeekOfKey(p.Entry.Key)
		if !ok {
			return
		}
		if weeks[p.Queue] == nil {
			weeks[p.Queue] = map[time.Time]bool{}
		}
		weeks[p.Queue][w] = true
	}
	for _, b := range before {
		if !slices.ContainsFunc(after, func(x queueindex.Placed) bool { return samePlaced(x, b) }) {
			touch(b)
		}
	}
	for _, x := range after {
		if !slices.ContainsFunc(before, func(b queueindex.Placed) bool { return samePlaced(x, b) }) {
			touch(x)
		}
	}
	for queue := range weeks {
		if county, deadlines, ok := casefile.OverdueQueueCounty(queue); ok {
			if err := a.recordFiled(ctx, county, deadlines); err != nil {
				return err
			}
		}
	}
	// Each queue's counts are a document of their own: counted side by
	// side, so that a change's projection waits for the slowest, not all.
	queues := slices.Sorted(maps.Keys(weeks))
	errs := make([]error, len(queues))
	var wg sync.WaitGroup
	for i, queue := range queues {
		wg.Go(func() { errs[i] = a.recount(ctx, queue, slices.Collect(maps.Keys(weeks[queue]))) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func samePlaced(a, b queueindex.Placed) bool {
	return a.Queue == b.Queue && a.Entry.ID == b.Entry.ID && a.Entry.Key == b.Entry.Key && maps.Equal(a.Entry.Attrs, b.Entry.Attrs)
}

// recount writes the counts of weeks of queue from the weeks' entries,
// read under the counts document's write: whichever writer of the queue
// writes last read the entries after every write of the index before it.
func (a *App) recount(ctx context.Context, queue string, weeks []time.Time) error {
	_, err := a.ObligationCounts.Update(ctx, queue, docstore.Options{Create: true, Patience: countsPatience},
		func(ch *docstore.Change[casefile.ObligationCounts]) error {
			changed := false
			for _, w := range weeks {
				entries, err := a.readRange(ctx, queue, queueindex.KeyBound(w), queueindex.KeyBound(w.Add(casefile.CountWeek)))
				if err != nil {
					return err
				}
				counts := map[string]int{}
				casefile.CountEntries(queue, entries, counts)
				changed = ch.State.SetWeek(w, counts) || changed
			}
			if !changed {
				return docstore.ErrNoChange
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("while counting %s: %w", queue, err)
	}
	return nil
}

// recountQueue writes every week's counts of queue from all its entries:
// a build, at start-up or after a county's deadlines changed.
func (a *App) recountQueue(ctx context.Context, queue string) error {
	entries, err := a.readRange(ctx, queue, "", "")
	if err != nil {
		return err
	}
	byWeek := map[time.Time][]queueindex.Entry{}
	for _, e := range entries {
		if w, ok := casefile.WeekOfKey(e.Key); ok {
			byWeek[w] = append(byWeek[w], e)
		}
	}
	_, err = a.ObligationCounts.Update(ctx, queue, docstore.Options{Create: true, Patience: countsPatience},
		func(ch *docstore.Change[casefile.ObligationCounts]) error {
			ch.State = casefile.ObligationCounts{}
			for w, es := range byWeek {
				counts := map[string]int{}
				casefile.CountEntries(queue, es, counts)
				ch.State.SetWeek(w, counts)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("while counting %s: %w", queue, err)
	}
	return nil
}

// readRange reads every entry of queue with keys from from (inclusive)
// to before (exclusive), an empty bound open.
func (a *App) readRange(ctx context.Context, queue, from, before string) ([]queueindex.Entry, error) {
	var out []queueindex.Entry
	after := ""
	for {
		entries, next, err := a.Obligations.Page(ctx, queue, queueindex.Query{After: after, From: from, Before: before, Limit: spanPage})
		if err != nil {
			return nil, fmt.Errorf("while reading %s: %w", queue, err)
		}
		out = append(out, entries...)
		if next == "" {
			return out, nil
		}
		after = next
	}
}

// countBefore counts what s's queue holds before its bound: the weeks
// before the bound's from the counts, the bound's week from its entries.
func (a *App) countBefore(ctx context.Context, s casefile.CountedSpan, into map[string]int) error {
	c, err := a.ObligationCounts.Get(ctx, s.Queue)
	if err != nil && !errors.Is(err, docstore.ErrNotFound) {
		return fmt.Errorf("while reading the counts of %s: %w", s.Queue, err)
	}
	c.Before(s.Bound, into)
	entries, err := a.readRange(ctx, s.Queue, queueindex.KeyBound(casefile.WeekOf(s.Bound)), queueindex.KeyBound(s.Bound))
	if err != nil {
		return err
	}
	casefile.CountEntries(s.Queue, entries, into)
	return nil
}

// EnsureObligationCounts builds the counts of every county's counted
// queues, and files its open disputes among its overdue disputes, when
// the store does not say they were: once, on a store written before them,
// and after a replay, which drops them. It reads every case file, so it
// runs at start-up, after EnsureObligations.
func (a *App) EnsureObligationCounts(ctx context.Context) error {
	if a.Obligations == nil || a.ObligationCounts == nil {
		return nil
	}
	n := 0
	built, err := docstore.BuildOnce(ctx, a.ObligationCounts, countsBuilt, func() error {
		files, err := a.CaseFiles.All(ctx)
		if err != nil {
			return fmt.Errorf("while reading the case files to count: %w", err)
		}
		n = len(files)
		byCounty := map[string][]casefile.CaseFile{}
		for _, f := range files {
			if f.CountyCode != "" {
				byCounty[f.CountyCode] = append(byCounty[f.CountyCode], f)
			}
		}
		for _, county := range slices.Sorted(maps.Keys(byCounty)) {
			if err := a.buildCounts(ctx, county, byCounty[county], true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while building the obligations' counts: %w", err)
	}
	if built && a.Log != nil {
		a.Log.Info("obligations' counts built", "case_files", n)
	}
	return nil
}

// buildCounts files the open disputes of files, a county's case files,
// among its overdue disputes under its deadlines now and counts that
// queue; with owed, the counts of its owed obligations too.
func (a *App) buildCounts(ctx context.Context, county string, files []casefile.CaseFile, owed bool) error {
	t := a.Targets(county)
	queue := casefile.OverdueQueue(county, t)
	var placed []queueindex.Placed
	open := map[string]bool{}
	for _, f := range files {
		for _, p := range casefile.FiledOverdue(f, t) {
			placed = append(placed, p)
			open[p.Entry.Key] = true
		}
	}
	// The queue may hold disputes filed under these deadlines before they
	// last changed, since settled: they leave it.
	filed, err := a.readRange(ctx, queue, "", "")
	if err != nil {
		return err
	}
	var stale []queueindex.Placed
	for _, e := range filed {
		if !open[e.Key] {
			stale = append(stale, queueindex.Placed{Queue: queue, Entry: e})
		}
	}
	if err := a.Obligations.Put(ctx, placed...); err != nil {
		return fmt.Errorf("while filing the overdue disputes of %s: %w", county, err)
	}
	if err := a.Obligations.Remove(ctx, stale...); err != nil {
		return fmt.Errorf("while filing the overdue disputes of %s: %w", county, err)
	}
	queues := []string{queue}
	if owed {
		for _, s := range casefile.LedgerOverdueCounts(county, time.Now(), t) {
			queues = append(queues, s.Queue)
		}
	}
	for _, q := range queues {
		if err := a.recountQueue(ctx, q); err != nil {
			return err
		}
	}
	return a.markFiled(ctx, county, t.Deadlines())
}

// filedID is the record of the deadlines a county's overdue disputes are
// filed under: none until its first is filed.
func filedID(county string) string { return "filed/" + county }

// recordFiled records that a county's overdue disputes are filed under
// deadlines, unless a record says already under which: a county's first
// filing, by a change or a build. Another record than the county's
// deadlines now is a change of them, which ensureOverdueQueue files again.
func (a *App) recordFiled(ctx context.Context, county, deadlines string) error {
	if known, ok := a.filed.Load(county); ok && known == deadlines {
		return nil
	}
	c, err := a.ObligationCounts.Update(ctx, filedID(county), docstore.Options{Create: true},
		func(ch *docstore.Change[casefile.ObligationCounts]) error {
			if ch.Exists && ch.State.Deadlines != "" {
				return docstore.ErrNoChange
			}
			ch.State = casefile.ObligationCounts{Deadlines: deadlines}
			return nil
		})
	if err != nil {
		return fmt.Errorf("while recording how %s's overdue disputes are filed: %w", county, err)
	}
	a.filed.Store(county, c.Deadlines)
	return nil
}

// markFiled records that a county's overdue disputes are filed under
// deadlines, after a build.
func (a *App) markFiled(ctx context.Context, county, deadlines string) error {
	_, err := a.ObligationCounts.Update(ctx, filedID(county), docstore.Options{Create: true},
		func(ch *docstore.Change[casefile.ObligationCounts]) error {
			ch.State = casefile.ObligationCounts{Deadlines: deadlines}
			return nil
		})
	if err != nil {
		return fmt.Errorf("while recording how %s's overdue disputes are filed: %w", county, err)
	}
	a.filed.Store(county, deadlines)
	return nil
}

// ensureOverdueQueue files the county's open disputes among its overdue
// disputes under its deadlines now when they are filed under others: the
// county's deadlines changed since. A county none of whose disputes were
// ever filed has nothing to file. Filing reads the county's case files and
// holds the projection meanwhile, as a rebuild of its tally does;
// otherwise it is one read by _id.
func (a *App) ensureOverdueQueue(ctx context.Context, county string) error {
	deadlines := a.Targets(county).Deadlines()
	current := func() (bool, error) {
		c, err := a.ObligationCounts.Get(ctx, filedID(county))
		if errors.Is(err, docstore.ErrNotFound) {
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("while checking how %s's overdue disputes are filed: %w", county, err)
		}
		return c.Deadlines == deadlines, nil
	}
	if ok, err := current(); ok || err != nil {
		return err
	}
	a.counting.Lock()
	defer a.counting.Unlock()
	if ok, err := current(); ok || err != nil {
		return err // filed meanwhile
	}
	files, err := a.CaseFiles.InCounty(ctx, county)
	if err != nil {
		return fmt.Errorf("while reading the case files of %s to count: %w", county, err)
	}
	if err := a.buildCounts(ctx, county, files, false); err != nil {
		return err
	}
	if a.Log != nil {
		a.Log.Info("overdue disputes filed for the county's deadlines", "county", county, "deadlines", deadlines, "case_files", len(files))
	}
	return nil
}

// overdueCounts counts a county's disputes overdue at now under every
// key (casefile.OverdueCount): a few documents, whatever is overdue.
func (a *App) overdueCounts(ctx context.Context, county string, now time.Time) (map[string]int, error) {
	if err := a.ensureOverdueQueue(ctx, county); err != nil {
		return nil, err
	}
	out := map[string]int{}
	if err := a.countBefore(ctx, casefile.OverdueDisputeCount(county, now, a.Targets(county)), out); err != nil {
		return nil, fmt.Errorf("while counting the overdue disputes of %s: %w", county, err)
	}
	return out, nil
}

// countsKept reports whether the overdue figures can be counted rather
// than read.
func (a *App) countsKept() bool { return a.Obligations != nil && a.ObligationCounts != nil }

// LedgerPage is a county's ledger of day listing only its first limit
// overdue obligations, the longest overdue first, every line counting
// them all (casefile.LimitedLedger): what is due within the day and the
// day's discharges read from the index, the overdue ones counted, so it
// costs the day's and limit's size, not what the county has overdue.
//
// Each owed queue is read once, from the first day of the week its
// overdue bound falls in to the end of the day: the entries before the
// bound are counted (the weeks before come from its counts), the others
// are due within the day. The queues, the discharges and the overdue page
// are read side by side: each is a few round trips to the store, and on a
// busy machine their waits add up in turn.
func (a *App) LedgerPage(ctx context.Context, caller identity.Caller, county string, day time.Time, limit int) (casefile.Ledger, error) {
	if !caller.Covers(county) {
		return casefile.Ledger{}, ErrOtherCounty
	}
	if !a.countsKept() {
		l, err := a.countyLedger(ctx, county, day)
		if err != nil {
			return casefile.Ledger{}, err
		}
		return casefile.LimitOverdue(l, limit), nil
	}
	now, t := a.Now().UTC(), a.Targets(county)
	daySpans, countSpans := casefile.LedgerDaySpans(county, day, t), casefile.LedgerOverdueCounts(county, day, t)
	filed := make([][]casefile.Filed, len(daySpans))
	counts := make([]map[string]int, len(countSpans))
	var overdue []casefile.Filed
	errs := make([]error, len(daySpans)+1)
	var wg sync.WaitGroup
	for i, s := range countSpans {
		wg.Go(func() {
			counts[i] = map[string]int{}
			filed[i], errs[i] = a.owedOnDay(ctx, s, daySpans[i], counts[i])
		})
	}
	for i := len(countSpans); i < len(daySpans); i++ {
		wg.Go(func() { filed[i], errs[i] = a.readSpan(ctx, daySpans[i]) })
	}
	if limit > 0 {
		wg.Go(func() {
			overdue, _, errs[len(daySpans)] = a.pageMerged(ctx, casefile.OverdueSpans(county, casefile.LedgerStart(day), t), "", limit)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return casefile.Ledger{}, fmt.Errorf("while reading the ledger of %s: %w", county, err)
	}
	total := map[string]int{}
	for _, c := range counts {
		for k, n := range c {
			total[k] += n
		}
	}
	return casefile.LimitedLedger(slices.Concat(filed...), overdue, total, day, now), nil
}

// owedOnDay reads one owed queue for the ledger: it counts into counts
// what falls due before c's bound and returns what falls due within day,
// the span of the day's (whose start is c's bound).
func (a *App) owedOnDay(ctx context.Context, c casefile.CountedSpan, day casefile.Span, counts map[string]int) ([]casefile.Filed, error) {
	doc, err := a.ObligationCounts.Get(ctx, c.Queue)
	if err != nil && !errors.Is(err, docstore.ErrNotFound) {
		return nil, fmt.Errorf("while reading the counts of %s: %w", c.Queue, err)
	}
	doc.Before(c.Bound, counts)
	entries, err := a.readRange(ctx, c.Queue, queueindex.KeyBound(casefile.WeekOf(c.Bound)), day.Before)
	if err != nil {
		return nil, err
	}
	bound := queueindex.KeyBound(c.Bound)
	var before []queueindex.Entry
	var out []casefile.Filed
	for _, e := range entries {
		if e.Key < bound {
			before = append(before, e)
		} else if e.Key >= day.From {
			out = append(out, casefile.FiledOf(day, e))
		}
	}
	casefile.CountEntries(c.Queue, before, counts)
	return out, nil
}
