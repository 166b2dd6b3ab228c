package casefile

import (
	"strconv"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// countedTally counts each case's events into a tally one change at a
// time at countedAt, as the projection does, every change delivered twice,
// with its due index held in memory.
func countedTally(t *testing.T, countedAt time.Time, cases ...[]Event) (Tally, map[string]*DueSlot) {
	t.Helper()
	tally, slots := NewTally(county, DefaultTargets(), 1), map[string]*DueSlot{}
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
			moves, _ := tally.Count(e.ID, before, after, countedAt)
			tally.BuildSlots(slots, moves)
			if _, again := tally.Count(e.ID, before, after, countedAt); again {
				t.Fatalf("change %s counted twice", e.ID)
			}
		}
	}
	return tally, slots
}

// builtTally builds a tally from finished case files at builtAt.
func builtTally(files []CaseFile, builtAt time.Time) (Tally, map[string]*DueSlot) {
	tally, slots := NewTally(county, DefaultTargets(), 2), map[string]*DueSlot{}
	for _, cf := range files {
		tally.BuildSlots(slots, tally.Add(cf, builtAt))
	}
	return tally, slots
}

func figuresAt(tally Tally, slots map[string]*DueSlot, now time.Time) (f figures) {
	var hour, second DueSlot
	if s := slots[tally.HourSlotID(now)]; s != nil {
		hour = *s
	}
	if s := slots[tally.SecondSlotID(now)]; s != nil {
		second = *s
	}
	g := tally.Figures(county, now, hour, second)
	return figures{g.Open, g.Overdue, g.ResolutionRate, g.RevisitRate}
}

type figures struct {
	open, overdue               int
	resolutionRate, revisitRate float64
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
			for _, evs := range tc.cases {
				all = append(all, fileOf(t, evs...))
			}
			// The figures are asked for at moments around each due time:
			// the hour, second and millisecond of each matter.
			moments := []time.Time{t0, now, at(61), at(62), at(15 * 24 * 60), at(30 * 24 * 60)}
			for _, m := range []time.Time{at(61), at(15*24*60 + 1)} {
				moments = append(moments, m.Add(-time.Millisecond), m.Add(time.Millisecond), m.Add(-time.Second), m.Add(time.Hour))
			}
			for _, countedAt := range []time.Time{t0.Add(-time.Hour), now} {
				counted, countedSlots := countedTally(t, countedAt, tc.cases...)
				built, builtSlots := builtTally(all, countedAt)
				for _, m := range moments {
					if m.Before(countedAt) {
						continue // the clock only moves forward
					}
					w := LiveFigures(county, all, m, DefaultTargets())
					want := figures{w.Open, w.Overdue, w.ResolutionRate, w.RevisitRate}
					if got := figuresAt(counted, countedSlots, m); got != want {
						t.Errorf("counted at %s, figures at %s: %+v, want %+v", countedAt, m, got, want)
					}
					if got := figuresAt(built, builtSlots, m); got != want {
						t.Errorf("built at %s, figures at %s: %+v, want %+v", countedAt, m, got, want)
					}
				}
			}
		})
	}
}

func TestATallyRemembersABoundedNumberOfChanges(t *testing.T) {
	var tally Tally
	for i := range 2 * maxRecent {
		tally.Count(time.Duration(i).String(), Share{}, Share{Registered: i == 0}, t0)
	}
	if len(tally.Recent) != maxRecent || tally.Registered != 1 {
		t.Fatalf("recent %d, registered %d", len(tally.Recent), tally.Registered)
	}
}

// The tally and each slot of the due index stay the size of what falls due
// in an hour, however many disputes are open: each new dispute adds to
// counts, not to lists.
func TestATallyDoesNotGrowWithTheOpenDisputes(t *testing.T) {
	tally := NewTally(county, DefaultTargets(), 1)
	for i := range 10_000 {
		share := Share{Registered: true, Open: true, Case: OpenCase{RoundStartedAt: t0.Add(time.Duration(i%600) * time.Second)}}
		moves, _ := tally.Count(time.Duration(i).String(), Share{}, share, t0)
		if len(moves) != 1 {
			t.Fatalf("moves %v", moves)
		}
	}
	if tally.Open != 10_000 || len(tally.DueByHour) != 1 {
		t.Fatalf("open %d, hours %d", tally.Open, len(tally.DueByHour))
	}
	later := tally
	later.DueByHour = map[string]int{}
	for k, v := range tally.DueByHour {
		later.DueByHour[k] = v
	}
	later.fold(at(60 * 24 * 60))
	if later.Overdue != 10_000 || len(later.DueByHour) != 0 {
		t.Fatalf("after the deadlines: overdue %d, hours %d", later.Overdue, len(later.DueByHour))
	}
}

func TestATallyFollowsTheResolutionDeadlinesItWasBuiltWith(t *testing.T) {
	tally := NewTally(county, DefaultTargets(), 1)
	if !tally.Follows(DefaultTargets()) {
		t.Fatal("a new tally does not follow its own targets")
	}
	other := DefaultTargets()
	other.Resolution[events.RiskHigh] = time.Hour
	if tally.Follows(other) {
		t.Fatal("a tally follows changed deadlines")
	}
}

func TestEachSlotOfTheDueIndexIsWrittenOncePerChange(t *testing.T) {
	tally := NewTally(county, DefaultTargets(), 1)
	at := t0.UnixMilli()
	changes := tally.SlotChanges([]DueMove{{At: at, Delta: -1}, {At: at + 5000, Delta: +1}})
	if len(changes) != 3 {
		t.Fatalf("%d writes, want the hour's and two seconds'", len(changes))
	}
	slots := map[string]*DueSlot{}
	tally.BuildSlots(slots, []DueMove{{At: at, Delta: +1}})
	tally.BuildSlots(slots, []DueMove{{At: at, Delta: -1}, {At: at + 5000, Delta: +1}})
	hour := slots[tally.hourSlot(hourOf(at))]
	if len(hour.Counts) != 1 || hour.Counts[strconv.FormatInt(secondOf(at+5000), 10)] != 1 {
		t.Fatalf("hour slot %+v", hour.Counts)
	}
}
