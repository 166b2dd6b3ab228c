package casefile

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

const day = 24 * time.Hour

// county5 is a county of five disputes, all registered on 2 November at
// 09:00 (CST), medium risk (resolution deadline 15 days by default):
//
//	A settled after 1 h, signed in 5,400 s, revisited stable, satisfied  → closed
//	B settled after 16 days (late), signed in 1,800 s, revisited: rebound,
//	  dissatisfied, reopened                                             → reopened
//	C mediation failed                                                   → failed
//	D only registered                                                    → registered
//	E settled after exactly 15 days (on time), revisit scheduled         → revisit_scheduled
func county5() []CaseFile {
	reg := cst(11, 2, 9, 0)
	return files(
		dispute("A", "t1", events.RiskMedium).registered(reg).signed(reg.Add(90*time.Minute), "gc", "S1", 5400).
			settled(reg.Add(time.Hour)).revisited(reg.Add(10*day), events.RevisitStable, events.Satisfied),
		dispute("B", "t1", events.RiskMedium).registered(reg).signed(reg.Add(30*time.Minute), "gc", "S1", 1800).
			settled(reg.Add(16*day)).revisited(reg.Add(20*day), events.RevisitRebound, events.Dissatisfied).reopened(reg.Add(20*day+time.Minute)),
		dispute("C", "t1", events.RiskMedium).registered(reg).opened(reg.Add(time.Hour), 3).failed(reg.Add(2*day)),
		dispute("D", "t1", events.RiskMedium).registered(reg),
		dispute("E", "t1", events.RiskMedium).registered(reg).settled(reg.Add(15*day)).revisitDue(reg.Add(15*day), reg.Add(29*day), "gc"),
	)
}

func TestKPIRatesAndMeans(t *testing.T) {
	strict := TargetsFrom(&policy.CountyPolicy{
		Escalation:   policy.Escalation{High: policy.RiskEscalation{ResolutionDeadline: policy.Days(1)}},
		WarningIndex: policy.WarningIndex{ResolutionRateTargetPercent: 90}, Revisit: policy.RevisitPolicy{TargetRatePercent: 95},
	})
	reg := cst(11, 2, 9, 0)
	for _, tc := range []struct {
		name                                      string
		files                                     []CaseFile
		targets                                   Targets
		resolution, onTime, revisit, rebound, sat Rate
		sign, settle                              Mean
		wantTargets                               RateTargets
	}{
		{name: "an empty county: every rate 0 of 0, every mean 0 over 0", targets: DefaultTargets(), wantTargets: RateTargets{Resolution: 0.8, Revisit: 0.95}},
		{
			name: "five disputes, hand-computed", files: county5(), targets: DefaultTargets(),
			resolution:  Rate{2.0 / 5, 2, 5},           // A closed, E revisit scheduled
			onTime:      Rate{2.0 / 3, 2, 3},           // A (1 h), E (15 d, the deadline itself) of A, B, E
			revisit:     Rate{2.0 / 3, 2, 3},           // A, B of A, B, E
			rebound:     Rate{1.0 / 2, 1, 2},           // B of A, B
			sat:         Rate{1.0 / 2, 1, 2},           // A of A, B (the revisits that recorded it)
			sign:        Mean{Seconds: 3600, Count: 2}, // (5,400 + 1,800) ÷ 2
			settle:      Mean{Seconds: (3600 + 16*86400 + 15*86400) / 3.0, Count: 3},
			wantTargets: RateTargets{Resolution: 0.8, Revisit: 0.95},
		},
		{
			name: "the county's own deadline: high risk settled in exactly a day is on time, a second later is not",
			files: files(
				dispute("H1", "t1", events.RiskHigh).registered(reg).settled(reg.Add(day)),
				dispute("H2", "t1", events.RiskHigh).registered(reg).settled(reg.Add(day+time.Second)),
			),
			targets: strict, resolution: Rate{1, 2, 2}, onTime: Rate{0.5, 1, 2}, revisit: Rate{0, 0, 2},
			settle: Mean{Seconds: (86400 + 86401) / 2.0, Count: 2}, wantTargets: RateTargets{Resolution: 0.9, Revisit: 0.95},
		},
		{
			name:    "a revisit without a settlement event: revisited, but no settlement time to measure",
			files:   files(dispute("R", "t1", events.RiskLow).registered(reg).revisited(reg.Add(day), events.RevisitStable, "")),
			targets: DefaultTargets(), resolution: Rate{1, 1, 1}, revisit: Rate{1, 1, 1}, rebound: Rate{0, 0, 1},
			wantTargets: RateTargets{Resolution: 0.8, Revisit: 0.95},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := ComputeFor(tc.files, reg, tc.targets)
			got := []Rate{k.Resolution, k.OnTime, k.Revisit, k.Rebound, k.Satisfaction}
			want := []Rate{tc.resolution, tc.onTime, tc.revisit, tc.rebound, tc.sat}
			for i, name := range []string{"resolution", "on time", "revisit", "rebound", "satisfaction"} {
				if got[i] != want[i] {
					t.Errorf("%s rate = %+v, want %+v", name, got[i], want[i])
				}
			}
			if k.TimeToSign != tc.sign || k.TimeToSettle != tc.settle || k.Targets != tc.wantTargets {
				t.Errorf("sign %+v settle %+v targets %+v, want %+v %+v %+v", k.TimeToSign, k.TimeToSettle, k.Targets, tc.sign, tc.settle, tc.wantTargets)
			}
		})
	}
}

func TestMonthsAreCountedInChinaStandardTime(t *testing.T) {
	nov := Month{2026, time.November}
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 10, 31, 15, 59, 59, 0, time.UTC), false}, // 23:59:59 on 31 October in Linxia
		{time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC), true},    // 00:00 on 1 November
		{time.Date(2026, 11, 30, 15, 59, 59, 0, time.UTC), true},
		{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), false}, // 00:00 on 1 December
	} {
		in := RegisteredIn(files(dispute("X", "t1", events.RiskLow).registered(tc.at)), nov)
		if (len(in) == 1) != tc.want {
			t.Errorf("registered at %v in November: %v, want %v", tc.at, len(in) == 1, tc.want)
		}
	}
	if m, err := ParseMonth("2026-11"); err != nil || m != nov || m.Prev() != (Month{2026, time.October}) || m.String() != "2026-11" {
		t.Errorf("ParseMonth = %v %v", m, err)
	}
	if jan, _ := ParseMonth("2026-01"); jan.Prev() != (Month{2025, time.December}) {
		t.Errorf("the month before January is %v", jan.Prev())
	}
	if _, err := ParseMonth("2026-13"); err == nil {
		t.Error("month 13 accepted")
	}
	empty := ComputeFor(RegisteredIn(county5(), Month{2026, time.December}), t0, DefaultTargets())
	if empty.Registered != 0 || empty.Resolution != (Rate{}) || empty.TimeToSettle != (Mean{}) {
		t.Errorf("a month without registrations: %+v", empty)
	}
}

func TestKPIsByDimension(t *testing.T) {
	reg := cst(11, 2, 9, 0)
	fs := files(
		dispute("A", "622901100", events.RiskLow).registered(reg).issued(reg, "gc-1").signed(reg, "gc-1", "S1", 60).settled(reg.Add(day)),
		dispute("B", "622901100", events.RiskLow).registered(reg).issued(reg, "gc-1"),
		dispute("C", "622901200", events.RiskLow).registered(reg).issued(reg, "gc-2").signed(reg, "gc-2", "S2", 60),
	)
	for _, tc := range []struct {
		by   Dimension
		want map[string]int // registered per key
	}{
		{ByTownship, map[string]int{"622901100": 2, "622901200": 1}},
		{ByVillage, map[string]int{"622901100001": 2, "622901200001": 1}},
		{ByGrid, map[string]int{"622901100001/G1": 2, "622901200001/G1": 1}},
		{ByUnit, map[string]int{"gc-1": 2, "gc-2": 1}},
		{ByOfficer, map[string]int{"S1": 1, "": 1, "S2": 1}},
	} {
		groups := GroupBy(fs, tc.by)
		if len(groups) != len(tc.want) {
			t.Errorf("%s: %d groups, want %d", tc.by, len(groups), len(tc.want))
		}
		for key, n := range tc.want {
			if len(groups[key]) != n {
				t.Errorf("%s %q: %d disputes, want %d", tc.by, key, len(groups[key]), n)
			}
		}
	}
	if k := ComputeFor(GroupBy(fs, ByUnit)["gc-1"], t0, DefaultTargets()); k.Resolution != (Rate{0.5, 1, 2}) {
		t.Errorf("gc-1 resolution %+v, want 1 of 2", k.Resolution)
	}
}
