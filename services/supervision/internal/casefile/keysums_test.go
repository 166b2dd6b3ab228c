package casefile

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// keyedCounty is novemberCounty with disputes handed between units and
// officers, overdue for a while and then settled, and waiting for
// mediators.
func keyedCounty() []*builder {
	copies := func(by time.Time) []events.SlipCopy {
		return []events.SlipCopy{{Copy: events.CopyJurisdiction, AcceptBy: by}}
	}
	return []*builder{
		dispute("k-moved", "T1", events.RiskLow).registered(cst(11, 2, 9, 0)).issued(cst(11, 2, 10, 0), "unit-a", copies(cst(11, 3, 10, 0))...).
			signed(cst(11, 2, 11, 0), "unit-a", "officer-1", 3600).issued(cst(11, 6, 10, 0), "unit-b", copies(cst(11, 7, 10, 0))...).
			signed(cst(11, 6, 12, 0), "unit-b", "officer-2", 7200),
		dispute("k-late-copy", "T2", events.RiskMedium).registered(cst(10, 30, 9, 0)).issued(cst(10, 30, 10, 0), "unit-a", copies(cst(10, 31, 10, 0))...).
			signed(cst(11, 3, 10, 0), "unit-a", "officer-1", 99999).opened(cst(11, 4, 9, 0), 2).settled(cst(12, 2, 9, 0)),
		dispute("k-unstaffed", "T3", events.RiskHigh).registered(cst(11, 12, 9, 0)).issued(cst(11, 12, 10, 0), "unit-b").
			opened(cst(11, 12, 11, 0), 2).assigned(cst(11, 12, 11, 0), 2),
		dispute("k-rebound", "T4", events.RiskHigh).registered(cst(10, 1, 9, 0)).issued(cst(10, 1, 10, 0), "unit-c").
			settled(cst(10, 20, 9, 0)).revisited(cst(11, 1, 9, 0), events.RevisitRebound, events.Dissatisfied).reopened(cst(11, 1, 10, 0)).
			issued(cst(11, 1, 11, 0), "unit-a").settled(cst(12, 20, 9, 0)),
	}
}

func keyedFiles() []CaseFile {
	return append(novemberCounty(), files(keyedCounty()...)...)
}

// The sums by key are the sums of each key's case files: their KPIs are
// ComputeFor over the group (but the overdue figures, which come from the
// tallies), counted change by change in any order, a case file handed to
// another unit or officer moving from one key to the other.
func TestSumsByKeyGiveEachGroupsFigures(t *testing.T) {
	targets := redAtThreeOverdue()
	bs := keyedCounty()
	var fs []CaseFile
	for _, b := range bs {
		fs = append(fs, b.file())
	}
	fs = append(fs, novemberCounty()...)
	asOf := cst(12, 25, 9, 0)
	for _, d := range Dimensions() {
		for key, s := range SumsByKey(fs, d, targets) {
			want := ComputeFor(GroupBy(fs, d)[key], asOf, targets)
			want.Overdue, want.OverdueByUnit = 0, map[string][]string{}
			if got := s.KPIs(asOf, targets); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q: from the sums\n %+v\nfrom the case files\n %+v", d, key, got, want)
			}
		}
	}
	// Counted event by event, in arrival order forwards and backwards.
	for _, order := range []string{"forwards", "backwards"} {
		counted := map[string]*KeySums{}
		var built []CaseFile
		for _, b := range bs {
			evs := b.evs
			if order == "backwards" {
				evs = reversed(evs)
			}
			var cf CaseFile
			exists := false
			for _, e := range evs {
				// Apply may reuse the timeline's array: what the case
				// file was is read before it.
				before := KeyContribution(Contribution(cf, exists, targets))
				beforeMonths, beforeKeys := SumsMonths(cf), map[Dimension]string{}
				for _, d := range Dimensions() {
					beforeKeys[d] = d.Key(cf)
				}
				if _, err := cf.Apply(e); err != nil {
					t.Fatal(err)
				}
				after := KeyContribution(Contribution(cf, true, targets))
				for _, d := range Dimensions() {
					ids := map[string]*[2][]KeyedSums{}
					if exists {
						for _, m := range beforeMonths {
							id := KeySumsID(county, d, m)
							if ids[id] == nil {
								ids[id] = &[2][]KeyedSums{}
							}
							ids[id][0] = []KeyedSums{{Key: beforeKeys[d], Sums: before}}
						}
					}
					for _, m := range SumsMonths(cf) {
						id := KeySumsID(county, d, m)
						if ids[id] == nil {
							ids[id] = &[2][]KeyedSums{}
						}
						ids[id][1] = []KeyedSums{{Key: d.Key(cf), Sums: after}}
					}
					for id, moves := range ids {
						if counted[id] == nil {
							c, dim, m := ParseKeySumsID(id)
							fresh := NewKeySums(c, dim, m)
							counted[id] = &fresh
						}
						counted[id].Count(e.ID, moves[0], moves[1])
						if counted[id].Count(e.ID, moves[0], moves[1]) {
							t.Fatalf("change %s counted twice", e.ID)
						}
					}
				}
				exists = true
			}
			built = append(built, cf)
		}
		for id, k := range KeySumsByMonth(built, func(string) Targets { return targets }) {
			got := counted[id]
			if got == nil {
				t.Errorf("%s: %s not counted", order, id)
				continue
			}
			gotKPIs, wantKPIs := map[string]KPIs{}, map[string]KPIs{}
			for key, s := range got.ByKey() {
				gotKPIs[key] = s.KPIs(asOf, targets)
			}
			for key, s := range k.ByKey() {
				wantKPIs[key] = s.KPIs(asOf, targets)
			}
			if !reflect.DeepEqual(gotKPIs, wantKPIs) {
				t.Errorf("%s: %s counted\n %+v\nbuilt\n %+v", order, id, gotKPIs, wantKPIs)
			}
		}
		moved := counted[KeySumsID(county, ByUnit, AllTime)].ByKey()
		if moved["unit-a"].Registered != 2 || moved["unit-b"].Registered != 2 {
			t.Errorf("%s: by unit %+v, want the moved dispute under unit-b only", order, moved)
		}
	}
}

// The warning index read from the sums by area is the one computed from
// the case files as they stood then: in the month, after it, before it
// ended and with nothing in it, at every level.
func TestWarningIndexFromSumsScoresAsTheCaseFiles(t *testing.T) {
	targets := redAtThreeOverdue()
	oct, nov, dec := Month{2026, time.October}, Month{2026, time.November}, Month{2026, time.December}
	for _, tc := range []struct {
		month Month
		asOf  time.Time
	}{
		{nov, cst(12, 10, 9, 0)},
		{nov, cst(11, 28, 9, 0)},
		{nov, cst(11, 3, 10, 0)},
		{dec, cst(12, 10, 9, 0)},
		{dec, cst(12, 31, 23, 0)},
		{oct, cst(12, 10, 9, 0)},
		{Month{2027, time.January}, cst(12, 25, 9, 0)},
		{Month{2026, time.March}, cst(12, 25, 9, 0)},
	} {
		for _, level := range []Dimension{ByTownship, ByVillage, ByGrid} {
			t.Run(fmt.Sprintf("%s %s as of %s", level, tc.month, tc.asOf.Format(time.DateTime)), func(t *testing.T) {
				var fs []CaseFile
				for _, f := range keyedFiles() {
					if f = f.AsOf(tc.asOf); len(f.Timeline) > 0 {
						fs = append(fs, f)
					}
				}
				areas := []string{"T1", "T2", "T9", "T1001", "T1001/G1", "T5001/G1"}
				want := WarningIndex(fs, level, tc.month, tc.asOf, targets, areas)
				overdueNow := map[string]int{}
				for _, f := range fs {
					if !f.RegisteredAt().After(tc.asOf) && targets.Overdue(f.AsOf(tc.asOf), tc.asOf) {
						overdueNow[level.Key(f)]++
					}
				}
				got := WarningIndexFromSums(level, tc.month, tc.asOf, targets, areas,
					SumsByKey(RegisteredIn(fs, tc.month), level, targets), SumsByKey(RegisteredIn(fs, tc.month.Prev()), level, targets),
					SumsByKey(fs, level, targets), overdueNow)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("from the sums\n %+v\nfrom the case files\n %+v", got, want)
				}
			})
		}
	}
}

// The unstaffed list counted change by change lists what
// UnstaffedMediations lists of the finished case files.
func TestUnstaffedListCountedChangeByChange(t *testing.T) {
	mediator := events.TeamMember{MediatorID: "m-1"}
	bs := []*builder{
		dispute("A", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).assigned(cst(3, 2, 10, 0), 2),
		dispute("C", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).
			assigned(cst(3, 2, 10, 0), 2).assigned(cst(3, 3, 10, 0), 2, mediator),
		dispute("D", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 3).
			assigned(cst(3, 2, 10, 0), 3).settled(cst(3, 4, 10, 0)),
		dispute("L", "t1", events.RiskLow).registered(cst(3, 1, 9, 0)).opened(cst(3, 1, 10, 0), 1).assigned(cst(3, 1, 10, 0), 1),
	}
	for _, order := range []string{"forwards", "backwards"} {
		list := UnstaffedList{CountyCode: county}
		var built []CaseFile
		for _, b := range bs {
			evs := b.evs
			if order == "backwards" {
				evs = reversed(evs)
			}
			var cf CaseFile
			exists := false
			for _, e := range evs {
				before := UnstaffedOf(cf, exists)
				if _, err := cf.Apply(e); err != nil {
					t.Fatal(err)
				}
				exists = true
				list.Count(e.ID, before, UnstaffedOf(cf, true))
				if list.Count(e.ID, before, UnstaffedOf(cf, true)) {
					t.Fatalf("change %s counted twice", e.ID)
				}
			}
			built = append(built, cf)
		}
		if got, want := list.Mediations(), UnstaffedMediations(built); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: listed\n %+v\nwant\n %+v", order, got, want)
		}
	}
}
