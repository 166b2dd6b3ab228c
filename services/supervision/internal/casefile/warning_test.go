package casefile

import (
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// novemberCounty is the worked example of docs/kpis.md: four townships in
// November 2026, as of 10 December, default thresholds (yellow from 40, red
// from 70, 3 overdue make red, resolution target 80%).
func novemberCounty() []CaseFile {
	return files(
		// T1: six disputes in November (2 high, 2 medium, 2 low), one
		// dispute in October.
		dispute("t1-h1", "T1", events.RiskHigh).registered(cst(11, 2, 9, 0)),                                // overdue 9 Nov
		dispute("t1-h2", "T1", events.RiskHigh).registered(cst(11, 5, 9, 0)).repeatReport(cst(11, 6, 9, 0)), // overdue 12 Nov
		dispute("t1-m1", "T1", events.RiskMedium).registered(cst(11, 3, 9, 0)).settled(cst(11, 4, 9, 0)).
			revisited(cst(11, 20, 9, 0), events.RevisitRebound, "").reopened(cst(11, 20, 10, 0)), // round 2 due 5 Dec
		dispute("t1-m2", "T1", events.RiskMedium).registered(cst(11, 20, 9, 0)), // due 5 Dec
		dispute("t1-l1", "T1", events.RiskLow).registered(cst(11, 10, 9, 0)).settled(cst(11, 11, 9, 0)),
		dispute("t1-l2", "T1", events.RiskLow).registered(cst(11, 10, 9, 0)).settled(cst(11, 11, 9, 0)),
		dispute("t1-oct", "T1", events.RiskLow).registered(cst(10, 15, 9, 0)).settled(cst(10, 16, 9, 0)),
		// T2: three high-risk disputes, all overdue at month end.
		dispute("t2-1", "T2", events.RiskHigh).registered(cst(11, 1, 9, 0)),
		dispute("t2-2", "T2", events.RiskHigh).registered(cst(11, 2, 9, 0)),
		dispute("t2-3", "T2", events.RiskHigh).registered(cst(11, 3, 9, 0)),
		// T4: one low-risk dispute, open and not overdue.
		dispute("t4-1", "T4", events.RiskLow).registered(cst(11, 25, 9, 0)),
	)
}

func TestWarningIndex(t *testing.T) {
	nov := Month{2026, time.November}
	got := WarningIndex(novemberCounty(), ByTownship, nov, cst(12, 10, 9, 0), redAtThreeOverdue(), []string{"T1", "T2", "T3", "T4"})
	want := []struct {
		area           string
		registered     int
		points         [5]float64 // volume, risk mix, overdue, repeat reports, rebounds
		score          int
		colour         string
		prevScore      int
		change         int
		reasonContains string
	}{
		// 2.5 + 25 + 20 = 47.5 → 48, yellow by score; 3 overdue ≥ 3 → red.
		{"T2", 3, [5]float64{2.5, 25, 20, 0, 0}, 48, "red", 0, 48, "3 overdue disputes"},
		// 6/30·25 + (2+2/2)/6·25 + 2/3·20 + 1/3·15 + 1/2·15 = 5 + 12.5 + 13.33 + 5 + 7.5 = 43.33 → 43.
		// October: one low dispute, 1/30·25 = 0.83 → 1.
		{"T1", 6, [5]float64{5, 12.5, 13.33, 5, 7.5}, 43, "yellow", 1, 42, "score 43: yellow"},
		// 1/30·25 = 0.83 → 1, blue by score; resolved 0 of 1 < 80% → yellow.
		{"T4", 1, [5]float64{0.83, 0, 0, 0, 0}, 1, "yellow", 0, 1, "resolution rate 0/1 below"},
		// In the jurisdiction tree, no disputes: blue.
		{"T3", 0, [5]float64{}, 0, "blue", 0, 0, "score 0: blue"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d areas, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		var points [5]float64
		for j, c := range g.Components {
			points[j] = c.Points
		}
		if g.Area != w.area || g.Registered != w.registered || points != w.points || g.Score != w.score || g.Colour != w.colour ||
			g.PreviousScore != w.prevScore || g.Change != w.change || !strings.Contains(strings.Join(g.Reasons, "; "), w.reasonContains) {
			t.Errorf("area %d = %s: %d registered, points %v, score %d %s (previous %d, change %+d), reasons %q\nwant %+v",
				i, g.Area, g.Registered, points, g.Score, g.Colour, g.PreviousScore, g.Change, g.Reasons, w)
		}
	}
}

func TestWarningIndexEdges(t *testing.T) {
	nov := Month{2026, time.November}
	if got := WarningIndex(nil, ByTownship, nov, cst(12, 1, 0, 0), redAtThreeOverdue(), nil); len(got) != 0 {
		t.Errorf("no disputes, no areas: %+v", got)
	}
	// Mid-month, the figures are as of now: a high-risk dispute due 4
	// November (three days, the MediationCenter default) is not overdue on
	// the 3rd.
	early := WarningIndex(novemberCounty(), ByTownship, nov, cst(11, 3, 10, 0), redAtThreeOverdue(), nil)
	for _, w := range early {
		if w.Area == "T2" && (w.Components[2].Count != 0 || w.Registered != 3) {
			t.Errorf("T2 on 3 November: %+v", w)
		}
	}
	// Volume is capped at the level's full scale: 7 disputes in one grid
	// (full at 5) score the whole 25 points.
	var many []*builder
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		many = append(many, dispute(id, "T9", events.RiskLow).registered(cst(11, 3, 9, 0)).settled(cst(11, 4, 9, 0)))
	}
	grid := WarningIndex(files(many...), ByGrid, nov, cst(12, 1, 0, 0), redAtThreeOverdue(), nil)
	if len(grid) != 1 || grid[0].Area != "T9001/G1" || grid[0].Components[0].Points != 25 || grid[0].Score != 25 || grid[0].Colour != "blue" {
		t.Errorf("a busy grid: %+v", grid)
	}
}

// redAtThreeOverdue are the default targets of a county that turns an area
// red at three overdue disputes (the default is ten): the figures above are
// worked out on it.
func redAtThreeOverdue() Targets {
	return TargetsFrom(&policy.CountyPolicy{WarningIndex: policy.WarningIndex{OverdueRedCount: 3}})
}
