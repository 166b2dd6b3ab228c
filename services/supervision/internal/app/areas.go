package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// SumsStore holds each county's casefile.Sums by casefile.SumsID;
// *docstore.Collection satisfies it.
type SumsStore interface {
	docstore.Documents[casefile.Sums]
}

// sumsBuilt is the _id of the document that says the sums count every
// case file; a store written before they existed has none.
const sumsBuilt = "sums-built"

// keySumsBuilt and unstaffedBuilt say the sums by key and the unstaffed
// lists count every case file.
const (
	keySumsBuilt   = "key-sums-built"
	unstaffedBuilt = "unstaffed-built"
)

// A contribution is what a case file adds to the sums it counts in: its
// county's, all time and of its registration month, under its key in each
// dimension, and to its county's unstaffed list. It is taken before the
// case file changes and after, as values: applying an event may reuse the
// timeline's array.
type contribution struct {
	county    string
	months    []string
	sums      casefile.Sums
	keys      map[casefile.Dimension]string
	unstaffed []casefile.UnstaffedMediation
}

func (a *App) contributionOf(cf casefile.CaseFile, exists bool) contribution {
	if !exists || cf.CountyCode == "" {
		return contribution{} // counted nowhere, as in the tallies
	}
	keys := map[casefile.Dimension]string{}
	for _, d := range casefile.Dimensions() {
		keys[d] = d.Key(cf)
	}
	return contribution{county: cf.CountyCode, months: casefile.SumsMonths(cf), sums: casefile.Contribution(cf, true, a.Targets(cf.CountyCode)),
		keys: keys, unstaffed: casefile.UnstaffedOf(cf, true)}
}

// ids are the sums documents the contribution counts in.
func (c contribution) ids() []string {
	out := make([]string, len(c.months))
	for i, m := range c.months {
		out[i] = casefile.SumsID(c.county, m)
	}
	return out
}

// countSums carries a written change of a case file into the sums it
// counted in before and counts in after, after the case file's own write,
// as countChange does for the tally. Each document moves by what the case
// file adds to it after the change minus before: should a change move the
// case file to another county, the old county's sums lose it and the
// new one's gain it.
func (a *App) countSums(ctx context.Context, change string, before, after contribution) error {
	if a.Sums == nil || reflect.DeepEqual(before, after) {
		return nil
	}
	ids := slices.Compact(slices.Sorted(slices.Values(append(before.ids(), after.ids()...))))
	writes := make([]func() error, 0, len(ids)+2)
	for _, id := range ids {
		writes = append(writes, func() error { return a.countSumsOf(ctx, id, change, before, after) })
	}
	writes = append(writes,
		func() error { return a.countKeySums(ctx, change, before, after) },
		func() error { return a.countUnstaffed(ctx, change, before, after) })
	return together(writes...)
}

// countSumsOf moves one sums document by the change's contribution to it.
func (a *App) countSumsOf(ctx context.Context, id, change string, before, after contribution) error {
	var in, out casefile.Sums
	if slices.Contains(before.ids(), id) {
		out = before.sums
	}
	if slices.Contains(after.ids(), id) {
		in = after.sums
	}
	county, month, _ := strings.Cut(id, "/")
	_, err := a.Sums.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Sums]) error {
		if !ch.Exists {
			ch.State = casefile.NewSums(county, month)
		}
		if !ch.State.Count(change, out, in) {
			return docstore.ErrNoChange
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("while counting event %s into the sums %s: %w", change, id, err)
	}
	return nil
}

// countKeySums moves the sums by key as countSums moves the county's: in
// each dimension and month, the case file's contribution leaves its key
// before and joins its key after, in one write of the document holding
// both.
func (a *App) countKeySums(ctx context.Context, change string, before, after contribution) error {
	if a.KeySums == nil {
		return nil
	}
	keyed := [2]casefile.Sums{casefile.KeyContribution(before.sums), casefile.KeyContribution(after.sums)}
	var writes []func() error
	for _, d := range casefile.Dimensions() {
		moves := map[string]*[2][]casefile.KeyedSums{}
		for i, c := range []contribution{before, after} {
			if c.county == "" {
				continue
			}
			for _, m := range c.months {
				id := casefile.KeySumsID(c.county, d, m)
				if moves[id] == nil {
					moves[id] = &[2][]casefile.KeyedSums{}
				}
				moves[id][i] = []casefile.KeyedSums{{Key: c.keys[d], Sums: keyed[i]}}
			}
		}
		for _, id := range slices.Sorted(maps.Keys(moves)) {
			move := moves[id]
			if reflect.DeepEqual(move[0], move[1]) {
				continue // the same contribution under the same key
			}
			writes = append(writes, func() error {
				county, dim, month := casefile.ParseKeySumsID(id)
				_, err := a.KeySums.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.KeySums]) error {
					if !ch.Exists {
						ch.State = casefile.NewKeySums(county, dim, month)
					}
					if !ch.State.Count(change, move[0], move[1]) {
						return docstore.ErrNoChange
					}
					return nil
				})
				if err != nil {
					return fmt.Errorf("while counting event %s into the sums %s: %w", change, id, err)
				}
				return nil
			})
		}
	}
	return together(writes...)
}

// countUnstaffed moves the unstaffed lists of the counties the case file
// was in before and is in after.
func (a *App) countUnstaffed(ctx context.Context, change string, before, after contribution) error {
	if a.UnstaffedLists == nil || (before.county == after.county && reflect.DeepEqual(before.unstaffed, after.unstaffed)) {
		return nil
	}
	moves := map[string]*[2][]casefile.UnstaffedMediation{}
	for i, c := range []contribution{before, after} {
		if c.county == "" {
			continue
		}
		if moves[c.county] == nil {
			moves[c.county] = &[2][]casefile.UnstaffedMediation{}
		}
		moves[c.county][i] = c.unstaffed
	}
	for _, county := range slices.Sorted(maps.Keys(moves)) {
		move := moves[county]
		if len(move[0]) == 0 && len(move[1]) == 0 {
			continue
		}
		_, err := a.UnstaffedLists.Update(ctx, county, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.UnstaffedList]) error {
			if !ch.Exists {
				ch.State = casefile.UnstaffedList{CountyCode: county}
			}
			if !ch.State.Count(change, move[0], move[1]) {
				return docstore.ErrNoChange
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("while counting event %s into the unstaffed mediations of %s: %w", change, county, err)
		}
	}
	return nil
}

// EnsureSums builds every county's sums, its sums by key and its
// unstaffed list from the case files when the store does not say they
// were built; like EnsureTallies it reads every case file (once for all
// three), so it runs at start-up only.
func (a *App) EnsureSums(ctx context.Context) error {
	if a.Sums == nil {
		return nil
	}
	var files []casefile.CaseFile
	read := false
	caseFiles := func() ([]casefile.CaseFile, error) {
		if read {
			return files, nil
		}
		var err error
		if files, err = a.CaseFiles.All(ctx); err != nil {
			return nil, fmt.Errorf("while reading the case files to sum: %w", err)
		}
		read = true
		return files, nil
	}
	built, err := docstore.BuildOnce(ctx, a.Sums, sumsBuilt, func() error {
		files, err := caseFiles()
		if err != nil {
			return err
		}
		return a.writeCountySums(ctx, files)
	})
	if err != nil {
		return fmt.Errorf("while building the counties' sums: %w", err)
	}
	if a.KeySums != nil {
		keysBuilt, err := docstore.BuildOnce(ctx, a.KeySums, keySumsBuilt, func() error {
			files, err := caseFiles()
			if err != nil {
				return err
			}
			return a.writeKeySums(ctx, files)
		})
		if err != nil {
			return fmt.Errorf("while building the counties' sums by key: %w", err)
		}
		built = built || keysBuilt
	}
	if a.UnstaffedLists != nil {
		listsBuilt, err := docstore.BuildOnce(ctx, a.UnstaffedLists, unstaffedBuilt, func() error {
			files, err := caseFiles()
			if err != nil {
				return err
			}
			return a.writeUnstaffed(ctx, files)
		})
		if err != nil {
			return fmt.Errorf("while building the counties' unstaffed mediations: %w", err)
		}
		built = built || listsBuilt
	}
	if built && a.Log != nil {
		a.Log.Info("counties' sums built", "case_files", len(files))
	}
	return nil
}

// writeSums writes from scratch the sums and the sums by key of the
// counties of files: what depends on their deadlines.
func (a *App) writeSums(ctx context.Context, files []casefile.CaseFile) error {
	if err := a.writeCountySums(ctx, files); err != nil {
		return err
	}
	return a.writeKeySums(ctx, files)
}

// writeCountySums writes from scratch the sums of the counties of files.
func (a *App) writeCountySums(ctx context.Context, files []casefile.CaseFile) error {
	if a.Sums == nil {
		return nil
	}
	for id, s := range casefile.SumsByMonth(files, a.Targets) {
		_, err := a.Sums.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.Sums]) error {
			ch.State = *s
			return nil
		})
		if err != nil {
			return fmt.Errorf("while writing the sums %s: %w", id, err)
		}
	}
	return nil
}

// writeKeySums writes from scratch the sums by key of the counties of
// files.
func (a *App) writeKeySums(ctx context.Context, files []casefile.CaseFile) error {
	if a.KeySums == nil {
		return nil
	}
	for id, k := range casefile.KeySumsByMonth(files, a.Targets) {
		_, err := a.KeySums.Update(ctx, id, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.KeySums]) error {
			ch.State = *k
			return nil
		})
		if err != nil {
			return fmt.Errorf("while writing the sums %s: %w", id, err)
		}
	}
	return nil
}

// writeUnstaffed writes from scratch the unstaffed lists of the counties
// of files.
func (a *App) writeUnstaffed(ctx context.Context, files []casefile.CaseFile) error {
	lists := map[string]*casefile.UnstaffedList{}
	for _, f := range files {
		u := casefile.UnstaffedOf(f, true)
		if f.CountyCode == "" || len(u) == 0 {
			continue
		}
		if lists[f.CountyCode] == nil {
			lists[f.CountyCode] = &casefile.UnstaffedList{CountyCode: f.CountyCode}
		}
		for _, m := range u {
			lists[f.CountyCode].Entries = append(lists[f.CountyCode].Entries, casefile.UnstaffedSeat{Mediation: m, Count: 1})
		}
	}
	for _, county := range slices.Sorted(maps.Keys(lists)) {
		_, err := a.UnstaffedLists.Update(ctx, county, docstore.Options{Create: true}, func(ch *docstore.Change[casefile.UnstaffedList]) error {
			ch.State = *lists[county]
			return nil
		})
		if err != nil {
			return fmt.Errorf("while writing the unstaffed mediations of %s: %w", county, err)
		}
	}
	return nil
}

// CountyInArea is one county's line in a prefecture's or province's
// figures.
type CountyInArea struct {
	CountyCode string
	KPIs       casefile.KPIs
}

// AreaKPIs are the figures of a prefecture or province (area: the first
// four or two digits of its counties' codes): its counties' sums added up,
// and each county's, with the overdue disputes now from the counties'
// tallies when all time is asked for. It reads per county its tally, two
// slots of the due index and one sums document, never a case file.
func (a *App) AreaKPIs(ctx context.Context, caller identity.Caller, area string, month *casefile.Month) (casefile.KPIs, []CountyInArea, error) {
	if !caller.Covers(area) {
		return casefile.KPIs{}, nil, ErrOtherCounty
	}
	tallies, err := a.talliesIn(ctx, area)
	if err != nil {
		return casefile.KPIs{}, nil, err
	}
	now := a.Now().UTC()
	total := casefile.NewSums(area, monthKey(month))
	var overdue int
	counties := make([]CountyInArea, 0, len(tallies))
	for _, t := range tallies {
		s, err := a.countySums(ctx, t.CountyCode, monthKey(month))
		if err != nil {
			return casefile.KPIs{}, nil, err
		}
		k := s.KPIs(now, a.Targets(t.CountyCode))
		if month == nil {
			f, err := a.countyFigures(ctx, t, now)
			if err != nil {
				return casefile.KPIs{}, nil, err
			}
			k.Overdue = f.Overdue
			overdue += f.Overdue
		}
		total.Add(s, +1)
		counties = append(counties, CountyInArea{CountyCode: t.CountyCode, KPIs: k})
	}
	k := total.KPIs(now, casefile.Targets{})
	k.Overdue = overdue
	return k, counties, nil
}

// AreaStatistics are the statistics export's lines of every county of a
// prefecture or province for month, county by county, from their sums.
func (a *App) AreaStatistics(ctx context.Context, caller identity.Caller, area string, month casefile.Month) ([]casefile.StatRow, error) {
	if !caller.Covers(area) {
		return nil, ErrOtherCounty
	}
	tallies, err := a.talliesIn(ctx, area)
	if err != nil {
		return nil, err
	}
	var rows []casefile.StatRow
	for _, t := range tallies {
		s, err := a.countySums(ctx, t.CountyCode, month.String())
		if err != nil {
			return nil, err
		}
		rows = append(rows, casefile.StatisticsRows(month, t.CountyCode, s)...)
	}
	return rows, nil
}

// talliesIn reads the tallies of the counties whose codes start with
// area, in code order: one document per county the platform has counted
// anything of.
func (a *App) talliesIn(ctx context.Context, area string) ([]casefile.Tally, error) {
	if a.Tallies == nil || a.Sums == nil {
		return nil, errors.New("cannot add up the figures of a prefecture or province without the counties' tallies and sums")
	}
	tallies, err := a.Tallies.InArea(ctx, area)
	if err != nil {
		return nil, fmt.Errorf("while reading the tallies of the counties of %s: %w", area, err)
	}
	tallies = slices.DeleteFunc(tallies, func(t casefile.Tally) bool { return !identity.CountyCode(t.CountyCode) })
	slices.SortFunc(tallies, func(x, y casefile.Tally) int { return cmp.Compare(x.CountyCode, y.CountyCode) })
	return tallies, nil
}

// countySums reads one county's sums over month; none yet are empty.
func (a *App) countySums(ctx context.Context, county, month string) (casefile.Sums, error) {
	s, err := a.Sums.Get(ctx, casefile.SumsID(county, month))
	if errors.Is(err, docstore.ErrNotFound) {
		return casefile.NewSums(county, month), nil
	}
	if err != nil {
		return casefile.Sums{}, fmt.Errorf("while reading the sums of %s: %w", casefile.SumsID(county, month), err)
	}
	return s, nil
}

func monthKey(month *casefile.Month) string {
	if month == nil {
		return casefile.AllTime
	}
	return month.String()
}

// AreaWarnings is the warning index of a prefecture or province for month:
// each of its counties scored whole (casefile.CountyWarning), the highest
// first, from per county its tally, two slots of the due index and three
// sums documents.
func (a *App) AreaWarnings(ctx context.Context, caller identity.Caller, area string, month casefile.Month) ([]casefile.Warning, error) {
	if !caller.Covers(area) {
		return nil, ErrOtherCounty
	}
	tallies, err := a.talliesIn(ctx, area)
	if err != nil {
		return nil, err
	}
	now := a.Now().UTC()
	current := casefile.MonthOf(now) == month
	out := make([]casefile.Warning, 0, len(tallies))
	for _, t := range tallies {
		var sums [3]casefile.Sums
		for i, m := range []string{month.String(), month.Prev().String(), casefile.AllTime} {
			if sums[i], err = a.countySums(ctx, t.CountyCode, m); err != nil {
				return nil, err
			}
		}
		overdue := 0
		if current {
			f, err := a.countyFigures(ctx, t, now)
			if err != nil {
				return nil, err
			}
			overdue = f.Overdue
		}
		out = append(out, casefile.CountyWarning(t.CountyCode, month, sums[0], sums[1], sums[2], overdue, current, a.Targets(t.CountyCode)))
	}
	casefile.SortWarnings(out)
	return out, nil
}
