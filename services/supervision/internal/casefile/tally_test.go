package casefile

import (
	"testing"
	"time"
)

// tallyOf counts each case's events into a tally one change at a time, as
// the projection does, every change delivered twice.
func tallyOf(t *testing.T, cases ...[]Event) Tally {
	t.Helper()
	var tally Tally
	for _, evs := range cases {
		var cf CaseFile
		exists := false
		for _, e := range evs {
			before := ShareOf(cf, exists)
			if _, err := cf.Apply(e); err != nil {
				t.Fatalf("Apply(%s): %v", e.ID, err)
			}
			exists = true
			after := ShareOf(cf, exists)
			tally.Count(e.ID, cf.DisputeID, before, after)
			if tally.Count(e.ID, cf.DisputeID, before, after) {
				t.Fatalf("change %s counted twice", e.ID)
			}
		}
	}
	return tally
}

func TestATallyGivesTheFiguresOfEveryCaseFile(t *testing.T) {
	now := at(3 * 24 * 60)
	for _, tc := range []struct {
		name  string
		cases [][]Event
	}{
		{"none", nil},
		{"one registered", [][]Event{{registered("a", 0)}}},
		{"a slip unsigned past its deadline", [][]Event{{registered("a", 0), issued("a", 1, 1)}}},
		{"settled and revisited", [][]Event{lifecycle("a")}},
		{"settled, revisited, reopened", [][]Event{append(lifecycle("a"), reopened("a", 2, 30000))}},
		{"some of each", [][]Event{lifecycle("a"), {registered("b", 0), issued("b", 1, 1)}, {registered("c", 0), issued("c", 1, 1), opened("c", 1, 2), failed("c", 1, 90)},
			reversed(lifecycle("d"))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var all []CaseFile
			var built Tally
			for _, evs := range tc.cases {
				cf := fileOf(t, evs...)
				all = append(all, cf)
				built.Add(cf)
			}
			want := LiveFigures(county, all, now, DefaultTargets())
			for name, tally := range map[string]Tally{"counted": tallyOf(t, tc.cases...), "built": built} {
				if got := tally.Figures(county, now, DefaultTargets()); !SameFigures(got, want) {
					t.Errorf("%s: figures %+v, want %+v", name, got, want)
				}
			}
		})
	}
}

func TestATallyRemembersABoundedNumberOfChanges(t *testing.T) {
	var tally Tally
	for i := range 2 * maxRecent {
		tally.Count(time.Duration(i).String(), "a", Share{}, Share{Registered: i == 0})
	}
	if len(tally.Recent) != maxRecent || tally.Registered != 1 {
		t.Fatalf("recent %d, registered %d", len(tally.Recent), tally.Registered)
	}
}
