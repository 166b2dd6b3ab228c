package loadgen

import (
	"strings"
	"testing"
	"time"
)

const samples = "../../operators/mediationcenter/config/samples"

func sampleGenerator(t *testing.T, repeatShare float64) *Generator {
	t.Helper()
	counties, err := LoadCounties(samples)
	if err != nil {
		t.Fatal(err)
	}
	categories := map[string][]Category{}
	for _, c := range counties {
		categories[c.Code] = []Category{{Code: "neighbour", Subcategories: []string{"neighbour.boundary"}}, {Code: "contract"}}
	}
	g, err := NewGenerator(counties, categories, repeatShare, 42)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLoadCountiesReadsTheSamplesPlacesAndStations(t *testing.T) {
	counties, err := LoadCounties(samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(counties) != 3 {
		t.Fatalf("%d counties, want the 3 samples", len(counties))
	}
	for _, c := range counties {
		if len(c.Stations) == 0 {
			t.Errorf("%s: no police station", c.Code)
		}
		for _, p := range c.Places {
			if len(p.TownshipCode) != 9 || !strings.HasPrefix(p.TownshipCode, c.Code) ||
				(p.VillageCode != "" && (len(p.VillageCode) != 12 || !strings.HasPrefix(p.VillageCode, p.TownshipCode))) {
				t.Errorf("%s: place %+v is not within the county", c.Code, p)
			}
		}
	}
}

func TestGeneratorKeepsPartiesDistinctExceptForRepeats(t *testing.T) {
	for _, tc := range []struct {
		share          float64
		minRep, maxRep int // of 1,000 reports
	}{
		{share: 0, minRep: 0, maxRep: 0},
		{share: 0.2, minRep: 150, maxRep: 250},
		{share: 1, minRep: 999, maxRep: 999}, // every report but the first
	} {
		g := sampleGenerator(t, tc.share)
		phones, keys := map[string]bool{}, map[string]bool{}
		repeats := 0
		for range 1000 {
			r, err := g.Next()
			if err != nil {
				t.Fatal(err)
			}
			if keys[r.IdempotencyKey] {
				t.Fatalf("idempotency key %s used twice", r.IdempotencyKey)
			}
			keys[r.IdempotencyKey] = true
			phone := r.Body.Parties[0].Phone
			if r.Repeat {
				repeats++
				if !phones[phone] {
					t.Fatalf("a repeat with a phone no earlier report had: %+v", r)
				}
				continue
			}
			if phones[phone] {
				t.Fatalf("share %v: phone %s of a first report was used before", tc.share, phone)
			}
			phones[phone] = true
			if r.Body.CountyCode != r.County || !strings.HasPrefix(r.Body.Place.TownshipCode, r.County) {
				t.Fatalf("report recorded in %s about %+v", r.County, r.Body)
			}
		}
		if repeats < tc.minRep || repeats > tc.maxRep {
			t.Errorf("share %v: %d repeats of 1000, want %d..%d", tc.share, repeats, tc.minRep, tc.maxRep)
		}
	}
}

func TestGeneratorStopsAtTheRunsBound(t *testing.T) {
	g := sampleGenerator(t, 0)
	g.seq = maxDisputesPerRun
	if _, err := g.Next(); err == nil {
		t.Fatal("the generator went past the distinct phone numbers of a run")
	}
}

func TestPercentilesAreMeasuredValues(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(ds)
	want := Percentiles{N: 100, P50: 50 * time.Millisecond, P90: 90 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Fatalf("percentiles = %+v, want %+v", got, want)
	}
	if one := percentiles([]time.Duration{7}); one.P50 != 7 || one.P99 != 7 {
		t.Fatalf("one value: %+v", one)
	}
	if none := percentiles(nil); none.N != 0 {
		t.Fatalf("no value: %+v", none)
	}
}

func TestTargets(t *testing.T) {
	r := &Result{
		Rate: 10, Achieved: 9.6, Missing: 1, Errors: map[string]int{"timeout": 2},
		Copies: Percentiles{N: 10, P50: 30 * time.Millisecond, P99: 120 * time.Millisecond},
		Pipe:   Percentiles{N: 10, P50: 10 * time.Millisecond, P99: 20 * time.Millisecond},
	}
	for _, tc := range []struct {
		name    string
		targets Targets
		missed  int
	}{
		{"none chosen", Targets{MaxMissing: -1, MaxErrors: -1}, 0},
		{"all met", Targets{MaxP50Ratio: 3, MaxP99Ratio: 6, MaxP99: time.Second, MinAchieved: 0.95, MaxMissing: 1, MaxErrors: 2}, 0},
		{"ratios missed", Targets{MaxP50Ratio: 2.9, MaxP99Ratio: 5, MaxMissing: -1, MaxErrors: -1}, 2},
		{"p99 and rate missed", Targets{MaxP99: 100 * time.Millisecond, MinAchieved: 0.99, MaxMissing: -1, MaxErrors: -1}, 2},
		{"missing and errors", Targets{MaxMissing: 0, MaxErrors: 0}, 2},
	} {
		if got := tc.targets.Missed(r); len(got) != tc.missed {
			t.Errorf("%s: missed %q, want %d", tc.name, got, tc.missed)
		}
	}
	// The pipe alone is the floor when it was measured: a platform that
	// slows the pipe beside it does not get a better ratio for it.
	r.PipeAlone = Percentiles{N: 10, P50: 5 * time.Millisecond, P99: 10 * time.Millisecond}
	if got := r.P50Ratio(); got != 6 {
		t.Errorf("p50 ratio to the pipe alone = %v, want 6", got)
	}
	if got := (Targets{MaxP99Ratio: 5, MaxMissing: -1, MaxErrors: -1}).Missed(&Result{}); len(got) != 1 {
		t.Errorf("a run that measured nothing met a ratio target: %q", got)
	}
}
