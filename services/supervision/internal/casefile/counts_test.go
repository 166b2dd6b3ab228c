package casefile

import (
	"maps"
	"reflect"
	"testing"
	"time"
)

// A week's counts sum in what counts before a bound only when the week
// ended before the bound's week began: the bound's own week is counted
// from its entries.
func TestCountsBeforeABoundSumTheWeeksBeforeItsWeek(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 12, 0, 0, 0, time.UTC) }
	var c ObligationCounts
	// 2026-11-05 and 2026-11-12 are Thursdays, the weeks' first days.
	c.SetWeek(WeekOf(day(5)), map[string]int{UnitCount("gc-1"): 2, OfficerCount("A1"): 1})
	c.SetWeek(WeekOf(day(12)), map[string]int{UnitCount("gc-1"): 3})
	if changed := c.SetWeek(WeekOf(day(12)), map[string]int{UnitCount("gc-1"): 3}); changed {
		t.Error("counting a week again as it was changed the counts")
	}
	for _, tc := range []struct {
		bound time.Time
		want  map[string]int
	}{
		{day(4), map[string]int{}},
		{day(5), map[string]int{}},
		{day(11), map[string]int{}},
		{day(12), map[string]int{UnitCount("gc-1"): 2, OfficerCount("A1"): 1}},
		{day(19), map[string]int{UnitCount("gc-1"): 5, OfficerCount("A1"): 1}},
	} {
		got := map[string]int{}
		c.Before(tc.bound, got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("before %s: %v, want %v", tc.bound.Format(time.DateOnly), got, tc.want)
		}
	}
	if !c.SetWeek(WeekOf(day(5)), nil) || len(c.Weeks) != 1 {
		t.Errorf("an emptied week stays: %v", c.Weeks)
	}
	if w := WeekOf(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)); !w.Equal(time.Date(1969, 12, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the week of a time before the epoch starts %s", w)
	}
}

// A change of a week leaves the map of weeks it read alone: an update that
// decides again after a conflict starts from the state it read.
func TestSetWeekLeavesTheWeeksReadAlone(t *testing.T) {
	w := WeekOf(time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name   string
		counts map[string]int
	}{
		{"a week changed", map[string]int{UnitCount("gc-1"): 3}},
		{"a week emptied", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c ObligationCounts
			c.SetWeek(w, map[string]int{UnitCount("gc-1"): 2})
			read := c.Weeks
			before := maps.Clone(read)
			if !c.SetWeek(w, tc.counts) {
				t.Fatal("SetWeek reported no change")
			}
			if !maps.Equal(read, before) {
				t.Errorf("the weeks read became %v, want %v", read, before)
			}
		})
	}
}
