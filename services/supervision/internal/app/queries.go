package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// CaseFile returns a dispute's case file if it belongs to the caller's
// county. Another county's dispute is reported missing, not forbidden: even
// its existence is not the caller's business.
func (a *App) CaseFile(ctx context.Context, caller identity.Caller, disputeID string) (casefile.CaseFile, error) {
	cf, err := a.CaseFiles.Get(ctx, disputeID)
	if errors.Is(err, docstore.ErrNotFound) || (err == nil && cf.CountyCode != caller.County) {
		return casefile.CaseFile{}, problem.ErrNotFound
	}
	return cf, err
}

// UnitNames names the units of a county by its live policy, read each time
// a timeline is: a name the county sets or changes shows at once.
func (a *App) UnitNames(county string) casefile.UnitNames {
	return casefile.NamesFrom(a.policyOf(county))
}

// summed checks the caller may read county's figures and that they are
// kept: every figure but the ledger is read from the county's sums, never
// from its case files.
func (a *App) summed(ctx context.Context, caller identity.Caller, county string) error {
	if !caller.Covers(county) {
		return ErrOtherCounty
	}
	if a.Sums == nil || a.KeySums == nil {
		return errors.New("cannot read a county's figures without its sums")
	}
	if err := ensureBuilt(ctx, a, a.Sums, sumsBuilt); err != nil {
		return err
	}
	return ensureBuilt(ctx, a, a.KeySums, keySumsBuilt)
}

// ensureBuilt builds the sums again when the marker of docs is missing:
// a replay drops them, and should it run beside a serving process, that
// process answers from sums built again rather than from none. One read
// by _id while they are there; the build reads every case file and holds
// the projection meanwhile, as a rebuild of a tally does.
func ensureBuilt[S any](ctx context.Context, a *App, docs docstore.Documents[S], marker string) error {
	if _, err := docs.Get(ctx, marker); err == nil {
		return nil
	} else if !errors.Is(err, docstore.ErrNotFound) {
		return fmt.Errorf("while checking the sums are built: %w", err)
	}
	a.counting.Lock()
	defer a.counting.Unlock()
	return a.EnsureSums(ctx)
}

// overdueNow are the county's overdue disputes at now, of the month's
// registrations when month is set.
func (a *App) overdueNow(ctx context.Context, county string, now time.Time, month *casefile.Month) ([]casefile.OverdueCase, error) {
	cases, err := a.overdueCases(ctx, county, now)
	if err != nil {
		return nil, fmt.Errorf("while reading the overdue disputes of %s: %w", county, err)
	}
	if month == nil {
		return cases, nil
	}
	return slices.DeleteFunc(cases, func(c casefile.OverdueCase) bool { return c.Month != month.String() }), nil
}

// keySums reads a county's sums by key in d over month; none yet are
// empty.
func (a *App) keySums(ctx context.Context, county string, d casefile.Dimension, month string) (map[string]casefile.Sums, error) {
	k, err := a.KeySums.Get(ctx, casefile.KeySumsID(county, d, month))
	if errors.Is(err, docstore.ErrNotFound) {
		return map[string]casefile.Sums{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("while reading the sums %s: %w", casefile.KeySumsID(county, d, month), err)
	}
	return k.ByKey(), nil
}

// CountyKPIs are a county's figures now, all time or of the disputes
// registered in month: its sums (one document) and its overdue disputes,
// listed by unit.
func (a *App) CountyKPIs(ctx context.Context, caller identity.Caller, county string, month *casefile.Month) (casefile.KPIs, error) {
	return a.countyKPIs(ctx, caller, county, month, true)
}

// CountyKPIsCounted are CountyKPIs with the overdue disputes counted, not
// listed by unit (OverdueByUnit stays empty): with the index's counts
// kept, a few documents whatever is overdue. The overdue list names them.
func (a *App) CountyKPIsCounted(ctx context.Context, caller identity.Caller, county string, month *casefile.Month) (casefile.KPIs, error) {
	return a.countyKPIs(ctx, caller, county, month, false)
}

func (a *App) countyKPIs(ctx context.Context, caller identity.Caller, county string, month *casefile.Month, listed bool) (casefile.KPIs, error) {
	if err := a.summed(ctx, caller, county); err != nil {
		return casefile.KPIs{}, err
	}
	s, err := a.countySums(ctx, county, monthKey(month))
	if err != nil {
		return casefile.KPIs{}, err
	}
	now := a.Now().UTC()
	k := s.KPIs(now, a.Targets(county))
	if !listed && a.countsKept() {
		counts, err := a.overdueCounts(ctx, county, now)
		if err != nil {
			return casefile.KPIs{}, err
		}
		m := ""
		if month != nil {
			m = month.String()
		}
		k.Overdue, k.OverdueByUnit = counts[casefile.OverdueCount("", "", m)], map[string][]string{}
		return k, nil
	}
	overdue, err := a.overdueNow(ctx, county, now, month)
	if err != nil {
		return casefile.KPIs{}, err
	}
	k.CountOverdue(overdue)
	if !listed {
		k.OverdueByUnit = map[string][]string{}
	}
	return k, nil
}

// KPIsBy are the figures of each township, village, grid, unit or officer
// of a county ("" collects the files that do not say): its sums by key in
// that dimension (one document) and its overdue disputes by key.
func (a *App) KPIsBy(ctx context.Context, caller identity.Caller, county string, by casefile.Dimension, month *casefile.Month) (map[string]casefile.KPIs, error) {
	return a.kpisBy(ctx, caller, county, by, month, true)
}

// KPIsByCounted are KPIsBy with the overdue disputes counted, not listed
// (see CountyKPIsCounted).
func (a *App) KPIsByCounted(ctx context.Context, caller identity.Caller, county string, by casefile.Dimension, month *casefile.Month) (map[string]casefile.KPIs, error) {
	return a.kpisBy(ctx, caller, county, by, month, false)
}

func (a *App) kpisBy(ctx context.Context, caller identity.Caller, county string, by casefile.Dimension, month *casefile.Month, listed bool) (map[string]casefile.KPIs, error) {
	if err := a.summed(ctx, caller, county); err != nil {
		return nil, err
	}
	sums, err := a.keySums(ctx, county, by, monthKey(month))
	if err != nil {
		return nil, err
	}
	now := a.Now().UTC()
	out := make(map[string]casefile.KPIs, len(sums))
	t := a.Targets(county)
	if !listed && a.countsKept() {
		counts, err := a.overdueCounts(ctx, county, now)
		if err != nil {
			return nil, err
		}
		m := ""
		if month != nil {
			m = month.String()
		}
		for key, s := range sums {
			k := s.KPIs(now, t)
			k.Overdue, k.OverdueByUnit = counts[casefile.OverdueCount(by, key, m)], map[string][]string{}
			out[key] = k
		}
		return out, nil
	}
	overdue, err := a.overdueNow(ctx, county, now, month)
	if err != nil {
		return nil, err
	}
	late := map[string][]casefile.OverdueCase{}
	for _, c := range overdue {
		late[c.Keys[by]] = append(late[c.Keys[by]], c)
	}
	for key, s := range sums {
		k := s.KPIs(now, t)
		k.CountOverdue(late[key])
		if !listed {
			k.OverdueByUnit = map[string][]string{}
		}
		out[key] = k
	}
	return out, nil
}

// Unstaffed lists a county's open mediations whose seats nobody could
// fill, the longest waiting first, from its unstaffed list (one
// document).
func (a *App) Unstaffed(ctx context.Context, caller identity.Caller, county string) ([]casefile.UnstaffedMediation, error) {
	if !caller.Covers(county) {
		return nil, ErrOtherCounty
	}
	if a.UnstaffedLists == nil {
		return nil, errors.New("cannot list a county's unstaffed mediations without its list")
	}
	if err := ensureBuilt(ctx, a, a.UnstaffedLists, unstaffedBuilt); err != nil {
		return nil, err
	}
	l, err := a.UnstaffedLists.Get(ctx, county)
	if errors.Is(err, docstore.ErrNotFound) {
		return []casefile.UnstaffedMediation{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("while reading the unstaffed mediations of %s: %w", county, err)
	}
	return l.Mediations(), nil
}

// Warnings is a county's warning index for month at a level, from its
// sums by area over the month, the month before and all time (three
// documents) and, while the month has not ended, its overdue disputes.
func (a *App) Warnings(ctx context.Context, caller identity.Caller, county string, level casefile.Dimension, month casefile.Month) ([]casefile.Warning, error) {
	if err := a.summed(ctx, caller, county); err != nil {
		return nil, err
	}
	var sums [3]map[string]casefile.Sums
	for i, m := range []string{month.String(), month.Prev().String(), casefile.AllTime} {
		var err error
		if sums[i], err = a.keySums(ctx, county, level, m); err != nil {
			return nil, err
		}
	}
	now := a.Now().UTC()
	overdue := map[string]int{}
	if now.Before(month.End().Add(-time.Nanosecond)) {
		var err error
		if overdue, err = a.overdueByArea(ctx, county, now, level); err != nil {
			return nil, err
		}
	}
	return casefile.WarningIndexFromSums(level, month, now, a.Targets(county), a.areas(county, level), sums[0], sums[1], sums[2], overdue), nil
}

// overdueByArea counts the county's disputes overdue at now by their key
// in level: from the index's counts when kept, else from its entries.
func (a *App) overdueByArea(ctx context.Context, county string, now time.Time, level casefile.Dimension) (map[string]int, error) {
	out := map[string]int{}
	if a.countsKept() {
		counts, err := a.overdueCounts(ctx, county, now)
		if err != nil {
			return nil, err
		}
		prefix := casefile.OverdueCount(level, "", "")
		for k, n := range counts {
			if area, ok := strings.CutPrefix(k, prefix); ok && !strings.Contains(area, casefile.CountSeparator) && n > 0 {
				out[area] = n
			}
		}
		return out, nil
	}
	cases, err := a.overdueNow(ctx, county, now, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		out[c.Keys[level]]++
	}
	return out, nil
}

// CountyStatistics are a county's lines of the statistics export for
// month, from its sums over the month (one document).
func (a *App) CountyStatistics(ctx context.Context, caller identity.Caller, county string, month casefile.Month) ([]casefile.StatRow, error) {
	if err := a.summed(ctx, caller, county); err != nil {
		return nil, err
	}
	s, err := a.countySums(ctx, county, month.String())
	if err != nil {
		return nil, err
	}
	return casefile.StatisticsRows(month, county, s), nil
}

// areas lists the areas of a level in the county's jurisdiction tree, so
// quiet ones are scored too; none without a policy.
func (a *App) areas(county string, level casefile.Dimension) []string {
	p := a.policyOf(county)
	if p == nil {
		return nil
	}
	// Case files are keyed by the division codes intake records (see
	// casefile.Dimension.Key); an area without a code in the tree is
	// listed by its ID and stays quiet.
	var out []string
	for _, t := range p.Jurisdiction {
		if level == casefile.ByTownship {
			out = append(out, codeOr(t.Code, t.ID))
		}
		for _, v := range t.Villages {
			if level == casefile.ByVillage {
				out = append(out, codeOr(v.Code, v.ID))
			}
			for _, g := range v.Grids {
				if level == casefile.ByGrid {
					out = append(out, codeOr(v.Code, v.ID)+"/"+g.ID)
				}
			}
		}
	}
	return out
}

func codeOr(code, id string) string {
	if code != "" {
		return code
	}
	return id
}

// DisputeStage is where one dispute stands and what it owes next.
type DisputeStage struct {
	CaseFile casefile.CaseFile
	// Next is the earliest obligation still owed; nil when none is.
	Next *casefile.LedgerItem
}

// Stages reads the case files of ids by _id, a few at a time, in the
// order asked and each once. A dispute of another county, like one that
// does not exist, is left out: the answer never says it exists.
func (a *App) Stages(ctx context.Context, caller identity.Caller, ids []string) ([]DisputeStage, error) {
	entries := make([]queueindex.Entry, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			entries = append(entries, queueindex.Entry{ID: id})
		}
	}
	files, err := queueindex.Load(ctx, entries, a.CaseFiles.Get)
	if err != nil {
		return nil, fmt.Errorf("while reading the case files: %w", err)
	}
	out := make([]DisputeStage, 0, len(files))
	t := a.Targets(caller.County)
	for _, cf := range files {
		if cf.CountyCode != caller.County {
			continue
		}
		s := DisputeStage{CaseFile: cf}
		if next, ok := casefile.NextDeadline(cf, t); ok {
			s.Next = &next
		}
		out = append(out, s)
	}
	return out, nil
}
