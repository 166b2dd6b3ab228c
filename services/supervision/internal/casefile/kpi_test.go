package casefile

import (
	"maps"
	"testing"

	"fengqiao.dev/api/events"
)

// stages builds the expected stage counts: every stage, zero unless given.
func stages(nonZero map[Stage]int) map[Stage]int {
	out := map[Stage]int{}
	for _, s := range Stages() {
		out[s] = nonZero[s]
	}
	return out
}

func TestCompute(t *testing.T) {
	// A county of seven disputes, each at a different point of the loop.
	seven := [][]Event{
		lifecycle("A"), // closed: resolved, settled once, revisited
		{registered("B", 0)},
		{registered("C", 0), issued("C", 1, 1), opened("C", 1, 2)},                     // in mediation
		{registered("D", 0), issued("D", 1, 1), opened("D", 1, 2), failed("D", 1, 50)}, // failed: never settled
		concat(lifecycle("E")[:6], []Event{ // settled, rebounded, round 2 referred
			completed("E", 1, events.RevisitRebound, 9000), reopened("E", 2, 9001), issued("E", 2, 9002)}),
		lifecycle("F")[:6], // revisit scheduled
		lifecycle("G")[:5], // resolved
	}
	for _, tc := range []struct {
		name       string
		files      [][]Event
		registered int
		stages     map[Stage]int
		resolution Rate
		revisit    Rate
	}{
		{"no disputes", nil, 0, stages(nil), Rate{0, 0, 0}, Rate{0, 0, 0}},
		{"one registered", [][]Event{{registered("B", 0)}}, 1, stages(map[Stage]int{StageRegistered: 1}), Rate{0, 0, 1}, Rate{0, 0, 0}},
		{"one closed", [][]Event{lifecycle("A")}, 1, stages(map[Stage]int{StageClosed: 1}), Rate{1, 1, 1}, Rate{1, 1, 1}},
		// Resolution: A, F, G of 7 (E's settlement rebounded). Revisit:
		// A and E revisited of A, E, F, G settled at least once.
		{"a county", seven, 7, stages(map[Stage]int{
			StageClosed: 1, StageRegistered: 1, StageInMediation: 1, StageFailed: 1,
			StageReferred: 1, StageRevisitScheduled: 1, StageResolved: 1,
		}), Rate{3.0 / 7, 3, 7}, Rate{0.5, 2, 4}},
		{"the same county, every file's events in reverse and twice", mangle(seven), 7, stages(map[Stage]int{
			StageClosed: 1, StageRegistered: 1, StageInMediation: 1, StageFailed: 1,
			StageReferred: 1, StageRevisitScheduled: 1, StageResolved: 1,
		}), Rate{3.0 / 7, 3, 7}, Rate{0.5, 2, 4}},
		{"a rebound not yet reopened", [][]Event{concat(lifecycle("E")[:6], []Event{completed("E", 1, events.RevisitRebound, 9000)})},
			1, stages(map[Stage]int{StageReopened: 1}), Rate{0, 0, 1}, Rate{1, 1, 1}},
		{"a revisit projected before its settlement", [][]Event{{registered("H", 0), completed("H", 1, events.RevisitStable, 9000)}},
			1, stages(map[Stage]int{StageClosed: 1}), Rate{1, 1, 1}, Rate{1, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := make([]CaseFile, len(tc.files))
			for i, evs := range tc.files {
				files[i] = fileOf(t, evs...)
			}
			k := Compute(files, at(99999))
			if !k.AsOf.Equal(at(99999)) || k.Registered != tc.registered || !maps.Equal(k.Stages, tc.stages) {
				t.Fatalf("Compute() = as of %v, %d registered, stages %v\nwant %d, %v", k.AsOf, k.Registered, k.Stages, tc.registered, tc.stages)
			}
			if k.Resolution != tc.resolution || k.Revisit != tc.revisit {
				t.Fatalf("rates = resolution %+v revisit %+v, want %+v %+v", k.Resolution, k.Revisit, tc.resolution, tc.revisit)
			}
		})
	}
}

// mangle delivers each dispute's events in reverse, every one twice.
func mangle(files [][]Event) [][]Event {
	out := make([][]Event, len(files))
	for i, evs := range files {
		out[i] = concat(reversed(evs), evs)
	}
	return out
}

func TestNewRate(t *testing.T) {
	for _, tc := range []struct {
		num, den int
		want     float64
	}{{0, 0, 0}, {3, 0, 0}, {0, 4, 0}, {693, 1274, 693.0 / 1274}, {4, 4, 1}} {
		if r := NewRate(tc.num, tc.den); r.Value != tc.want || r.Numerator != tc.num || r.Denominator != tc.den {
			t.Fatalf("NewRate(%d, %d) = %+v, want value %v", tc.num, tc.den, r, tc.want)
		}
	}
}
