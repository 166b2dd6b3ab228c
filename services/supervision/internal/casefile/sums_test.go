package casefile

import (
	"reflect"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// Sums moved event by event, each change by its case file's contribution
// after minus before, give the KPIs and statistics that the finished case
// files give (but the overdue figures, which the tallies keep), in any
// arrival order, and a change counted twice counts once.
func TestSumsCountedChangeByChangeGiveTheFiguresOfTheCaseFiles(t *testing.T) {
	six := [][]Event{
		lifecycle("A"),
		{registered("B", 0)},
		{registered("C", 0), issued("C", 1, 1), opened("C", 1, 2)},
		{registered("D", 0), issued("D", 1, 1), opened("D", 1, 2), failed("D", 1, 50)},
		concat(lifecycle("E")[:6], []Event{completed("E", 1, events.RevisitRebound, 9000), reopened("E", 2, 9001), issued("E", 2, 9002)}),
		lifecycle("G")[:5],
	}
	for _, tc := range []struct {
		name  string
		files [][]Event
	}{
		{"none", nil},
		{"in time order", six},
		{"in reverse and twice", mangle(six)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			targets := DefaultTargets()
			counted := NewSums(county, AllTime)
			var files []CaseFile
			for _, evs := range tc.files {
				var cf CaseFile
				exists := false
				for _, e := range evs {
					before := Contribution(cf, exists, targets)
					if _, err := cf.Apply(e); err != nil {
						t.Fatalf("Apply(%s): %v", e.ID, err)
					}
					exists = true
					after := Contribution(cf, true, targets)
					counted.Count(e.ID, before, after)
					if counted.Count(e.ID, before, after) {
						t.Fatalf("change %s counted twice", e.ID)
					}
				}
				files = append(files, cf)
			}
			want := ComputeFor(files, at(30000), targets)
			want.Overdue, want.OverdueByUnit = 0, map[string][]string{}
			if got := counted.KPIs(at(30000), targets); !reflect.DeepEqual(got, want) {
				t.Errorf("KPIs from the sums\n got %+v\nwant %+v", got, want)
			}
			if !reflect.DeepEqual(counted.Statistics, SumsOf(files, targets).Statistics) {
				t.Errorf("statistics from the sums %v, want %v", counted.Statistics, SumsOf(files, targets).Statistics)
			}
		})
	}
}

// The sums of two counties add up to the sums of their case files
// together: a prefecture's or province's figures are its counties'.
func TestSumsOfCountiesAddUp(t *testing.T) {
	targets := DefaultTargets()
	one := []CaseFile{fileOf(t, lifecycle("A")...), fileOf(t, registered("B", 0))}
	other := []CaseFile{fileOf(t, lifecycle("G")[:5]...)}
	area := NewSums("", "")
	area.Add(SumsOf(one, targets), +1)
	area.Add(SumsOf(other, targets), +1)
	if want := SumsOf(append(one, other...), targets); !reflect.DeepEqual(area.KPIs(t0, targets), want.KPIs(t0, targets)) {
		t.Errorf("the area's KPIs %+v, want %+v", area.KPIs(t0, targets), want.KPIs(t0, targets))
	}
	area.Add(SumsOf(other, targets), -1)
	if want := SumsOf(one, targets); !reflect.DeepEqual(area, want) {
		t.Errorf("taken out again: %+v, want %+v", area, want)
	}
}

// A whole county scored from its sums scores as the county's case files do
// at the county level, in the current month: the same volume, risk mix,
// overdue disputes, repeat reports and rebounds, score and colour.
func TestACountyScoredFromItsSumsScoresAsItsCaseFiles(t *testing.T) {
	nov := Month{2026, time.November}
	fs := novemberCounty()
	asOf := cst(11, 28, 9, 0) // within the month: "now" is the month's figures
	targets := redAtThreeOverdue()
	want := scoreArea(fs, ByCounty, nov, asOf, targets)
	overdueNow := ComputeFor(fs, asOf, targets).Overdue
	got := CountyWarning(county, nov, SumsOf(RegisteredIn(fs, nov), targets), SumsOf(RegisteredIn(fs, nov.Prev()), targets),
		SumsOf(fs, targets), overdueNow, true, targets)
	if got.Score != want.Score || got.Colour != want.Colour || !reflect.DeepEqual(got.Components, want.Components) || got.Area != county {
		t.Errorf("from the sums %+v\nfrom the case files %+v", got, want)
	}
	if past := CountyWarning(county, nov, SumsOf(RegisteredIn(fs, nov), targets), Sums{}, SumsOf(fs, targets), overdueNow, false, targets); past.Components[2].Count != 0 {
		t.Errorf("a past month's overdue disputes are not kept, yet scored %d", past.Components[2].Count)
	}
}
