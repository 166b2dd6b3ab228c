package casefile

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// KeySums are a county's sums by key in one dimension (township, village,
// grid, unit or officer), over one registration month or AllTime: what
// the county's figures by area, unit or officer and its areas' warning
// index are read from, one document instead of every case file.
//
// One document holds every key of a county, month and dimension, rather
// than one document per key: a change that moves a case file to another
// unit, officer or area moves its contribution within one document, in one
// write, and a breakdown is one read by _id (the embedded store indexes
// nothing else, so listing the documents of many keys would read them all).
// A write rewrites the dimension's keys of the county — tens of units,
// hundreds of officers or grids, each a few hundred bytes, as the sums by
// key leave out the statistics — bounded by the county's size, not by its
// disputes.
type KeySums struct {
	CountyCode string
	Dimension  Dimension
	Month      string
	// Keys hold the sums of each key with case files, sorted by key; a
	// list rather than a map, since a key (an officer's ID) may hold
	// characters a field name may not.
	Keys []KeyedSums
	// Recent are the latest changes counted, as in Sums.
	Recent []string
}

// KeyedSums are the sums of one key.
type KeyedSums struct {
	Key  string
	Sums Sums
}

// KeySumsID is the _id of a county's sums by key in d over month (or
// AllTime).
func KeySumsID(county string, d Dimension, month string) string {
	return county + "/" + string(d) + "/" + month
}

// ParseKeySumsID splits a KeySumsID.
func ParseKeySumsID(id string) (county string, d Dimension, month string) {
	county, rest, _ := strings.Cut(id, "/")
	dim, month, _ := strings.Cut(rest, "/")
	return county, Dimension(dim), month
}

// NewKeySums are empty sums by key.
func NewKeySums(county string, d Dimension, month string) KeySums {
	return KeySums{CountyCode: county, Dimension: d, Month: month, Keys: []KeyedSums{}}
}

// KeyContribution is a case file's contribution (Contribution) as the sums
// by key hold it: without the statistics and the bookkeeping.
func KeyContribution(s Sums) Sums {
	s.CountyCode, s.Month, s.Statistics, s.Recent = "", "", nil, nil
	return s
}

// Count moves the sums by key by the contributions in (each under its
// key) minus those out, once per change ID; it reports whether they
// changed. A case file moved from one unit to another is out under the old
// key and in under the new.
func (k *KeySums) Count(change string, out, in []KeyedSums) bool {
	if slices.Contains(k.Recent, change) {
		return false
	}
	byKey := k.ByKey()
	for sign, list := range map[int][]KeyedSums{-1: out, +1: in} {
		for _, c := range list {
			s, ok := byKey[c.Key]
			if !ok {
				s = NewSums("", "")
			}
			s.Add(c.Sums, sign)
			byKey[c.Key] = s
		}
	}
	k.Keys = k.Keys[:0:0]
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		// A key's sums count one registration per case file, so none
		// left means nothing left.
		if s := byKey[key]; s.Registered != 0 {
			k.Keys = append(k.Keys, KeyedSums{Key: key, Sums: s})
		}
	}
	k.Recent = append(slices.Clone(k.Recent), change)
	if len(k.Recent) > maxRecent {
		k.Recent = k.Recent[len(k.Recent)-maxRecent:]
	}
	return true
}

// ByKey are the sums by key as a map.
func (k KeySums) ByKey() map[string]Sums {
	out := make(map[string]Sums, len(k.Keys))
	for _, ks := range k.Keys {
		out[ks.Key] = ks.Sums
	}
	return out
}

// SumsByKey adds up the contributions of files by their key in d, as the
// sums by key hold them.
func SumsByKey(files []CaseFile, d Dimension, t Targets) map[string]Sums {
	out := map[string]Sums{}
	for key, fs := range GroupBy(files, d) {
		out[key] = KeyContribution(SumsOf(fs, t))
	}
	return out
}

// KeySumsByMonth splits files into the sums by key each counts in, keyed
// by KeySumsID: the sums by key of counties built from scratch.
func KeySumsByMonth(files []CaseFile, targets func(county string) Targets) map[string]*KeySums {
	out := map[string]*KeySums{}
	byKey := map[string]map[string]Sums{}
	for _, f := range files {
		if f.CountyCode == "" {
			continue // counted nowhere, as in the tallies
		}
		c := KeyContribution(Contribution(f, true, targets(f.CountyCode)))
		for _, month := range SumsMonths(f) {
			for _, d := range Dimensions() {
				id := KeySumsID(f.CountyCode, d, month)
				if out[id] == nil {
					fresh := NewKeySums(f.CountyCode, d, month)
					out[id], byKey[id] = &fresh, map[string]Sums{}
				}
				s, ok := byKey[id][d.Key(f)]
				if !ok {
					s = NewSums("", "")
				}
				s.Add(c, +1)
				byKey[id][d.Key(f)] = s
			}
		}
	}
	for id, k := range out {
		for _, key := range slices.Sorted(maps.Keys(byKey[id])) {
			k.Keys = append(k.Keys, KeyedSums{Key: key, Sums: byKey[id][key]})
		}
	}
	return out
}

// WarningIndexFromSums is WarningIndex read from sums instead of case
// files: cur and prev are the sums by area of level over the
// registrations of m and of the month before, all those of all time, and
// overdueNow the disputes of each area overdue at asOf. It scores as
// WarningIndex does: a month not ended at asOf is scored as of asOf, with
// overdueNow, an ended one as of its end, with the overdue spells of the
// all-time sums.
func WarningIndexFromSums(level Dimension, m Month, asOf time.Time, t Targets, areas []string, cur, prev, all map[string]Sums, overdueNow map[string]int) []Warning {
	listed := map[string]bool{}
	for _, a := range areas {
		listed[a] = true
	}
	for _, sums := range []map[string]Sums{cur, prev} {
		for area, s := range sums {
			if s.Registered > 0 {
				listed[area] = true
			}
		}
	}
	counts := func(area string, month Month, s Sums) warningCounts {
		a := all[area]
		overdue := overdueNow[area]
		if !asOf.Before(month.End().Add(-time.Nanosecond)) {
			overdue = a.OverdueAt(month)
		}
		return warningCounts{registered: s.Registered, high: s.RiskHigh, medium: s.RiskMedium, overdue: overdue,
			repeats: a.RepeatsIn[month.String()], rebounds: a.ReboundsIn[month.String()], resolved: s.ResolvedByMonthEnd}
	}
	var out []Warning
	for area := range listed {
		if area == "" {
			continue
		}
		w := scoreCounts(level, m, counts(area, m, cur[area]), t)
		before := scoreCounts(level, m.Prev(), counts(area, m.Prev(), prev[area]), t)
		w.Area, w.PreviousScore, w.PreviousColor, w.Change = area, before.Score, before.Colour, w.Score-before.Score
		out = append(out, w)
	}
	SortWarnings(out)
	return out
}

// CountOverdue counts cases, the set's disputes overdue now, into the
// KPIs' Overdue and OverdueByUnit, as ComputeFor counts them: the sums
// leave them out, as they depend on the moment.
func (k *KPIs) CountOverdue(cases []OverdueCase) {
	if k.OverdueByUnit == nil {
		k.OverdueByUnit = map[string][]string{}
	}
	for _, c := range cases {
		k.Overdue++
		unit := c.Keys[ByUnit]
		k.OverdueByUnit[unit] = append(k.OverdueByUnit[unit], orID(c.CaseCode, c.DisputeID))
	}
}
