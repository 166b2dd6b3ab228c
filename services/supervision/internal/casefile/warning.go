package casefile

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// The monthly warning index (预警指数, Jiuquan's red/yellow/blue areas)
// of one area: a score of 0–100 from five weighted components, each
// capped at 1, then coloured by the county's thresholds. docs/kpis.md
// explains it with a worked example.
const (
	weightVolume   = 25 // disputes registered in the month ÷ the level's full scale
	weightRisk     = 25 // (high + ½·medium) ÷ disputes registered in the month
	weightOverdue  = 20 // disputes overdue at month end ÷ the county's overdue red count
	weightRepeat   = 15 // repeat reports linked in the month ÷ 3
	weightRebounds = 15 // rebounds found in the month ÷ 2
	repeatFull     = 3
	reboundFull    = 2
)

// volumeFull is the monthly volume that scores the whole volume weight at
// each level: a township handles ~30 disputes a month at Jiuquan's 11,140 a
// year over its townships, a village a third, a grid a sixth; a whole
// county, Jiuquan's year over twelve months.
var volumeFull = map[Dimension]int{ByTownship: 30, ByVillage: 10, ByGrid: 5, ByCounty: 930}

// Component is one term of the score.
type Component struct {
	Name   string
	Count  int
	Ratio  float64 // 0–1, after the cap
	Weight int
	Points float64
}

// Warning is the warning index of one area in one month.
type Warning struct {
	Level      Dimension
	Area       string
	Month      string
	Registered int
	Score      int
	Colour     string
	Components []Component
	// Reasons explain the colour in words, threshold by threshold.
	Reasons       []string
	PreviousScore int
	PreviousColor string
	Change        int // Score − PreviousScore
}

// WarningIndex scores every area of level that had disputes in month m or
// the month before, plus the areas listed (the county's jurisdiction tree,
// so a quiet area shows blue rather than nothing), sorted by score, highest
// first. Figures are taken as of the month's end, or asOf if earlier.
func WarningIndex(files []CaseFile, level Dimension, m Month, asOf time.Time, t Targets, areas []string) []Warning {
	groups := GroupBy(files, level)
	for _, a := range areas {
		if _, ok := groups[a]; !ok {
			groups[a] = nil
		}
	}
	var out []Warning
	for area, fs := range groups {
		cur, prev := scoreArea(fs, level, m, asOf, t), scoreArea(fs, level, m.Prev(), asOf, t)
		if area == "" || (cur.Registered == 0 && prev.Registered == 0 && !slices.Contains(areas, area)) {
			continue
		}
		cur.Area, cur.PreviousScore, cur.PreviousColor, cur.Change = area, prev.Score, prev.Colour, cur.Score-prev.Score
		out = append(out, cur)
	}
	slices.SortFunc(out, func(a, b Warning) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.Area, b.Area)
	})
	return out
}

// scoreArea scores the files of one area for month m.
func scoreArea(files []CaseFile, level Dimension, m Month, asOf time.Time, t Targets) Warning {
	at := m.End().Add(-time.Nanosecond)
	if asOf.Before(at) {
		at = asOf
	}
	cohort := RegisteredIn(files, m)
	high, medium, overdue, repeats, rebounds, resolved := 0, 0, 0, 0, 0, 0
	for _, f := range cohort {
		high, medium = high+b2i(f.RiskLevel == events.RiskHigh), medium+b2i(f.RiskLevel == events.RiskMedium)
		resolved += b2i(f.AsOf(at).Stage().IsResolved())
	}
	for _, f := range files {
		if !f.RegisteredAt().After(at) && t.Overdue(f.AsOf(at), at) {
			overdue++
		}
		repeats += f.countIn(m, func(e Entry) bool { return e.Type == events.TypeDisputeReportLinked })
		rebounds += f.countIn(m, func(e Entry) bool { return e.Type == events.TypeRevisitCompleted && e.Outcome == events.RevisitRebound })
	}
	return scoreCounts(level, m, warningCounts{registered: len(cohort), high: high, medium: medium,
		overdue: overdue, repeats: repeats, rebounds: rebounds, resolved: resolved}, t)
}

// warningCounts are what an area's score is computed from.
type warningCounts struct {
	registered, high, medium, overdue, repeats, rebounds, resolved int
}

// scoreCounts weighs an area's counts for month m into its score and
// colour.
func scoreCounts(level Dimension, m Month, c warningCounts, t Targets) Warning {
	n := c.registered
	w := Warning{Level: level, Month: m.String(), Registered: n, Components: []Component{
		component("volume", n, ratio(float64(n), float64(volumeFull[level])), weightVolume),
		component("risk_mix", c.high+c.medium, ratio(float64(c.high)+float64(c.medium)/2, float64(n)), weightRisk),
		component("overdue", c.overdue, ratio(float64(c.overdue), float64(max(t.Warning.OverdueRedCount, 1))), weightOverdue),
		component("repeat_reports", c.repeats, ratio(float64(c.repeats), repeatFull), weightRepeat),
		component("rebounds", c.rebounds, ratio(float64(c.rebounds), reboundFull), weightRebounds),
	}}
	total := 0.0
	for _, comp := range w.Components {
		total += comp.Points
	}
	w.Score = int(math.Round(total))
	w.Colour, w.Reasons = colour(w.Score, c.overdue, NewRate(c.resolved, n), t)
	return w
}

// ByCounty is the level of a county scored whole, in its prefecture's or
// province's warning index.
const ByCounty Dimension = "county"

// CountyWarning scores a whole county for month m from its sums, for the
// warning index of its prefecture or province: cur and prev are its sums
// over the registrations of m and of the month before, all its sums of all
// time (which count the repeat reports and rebounds by the month they
// happened). Two figures differ from a township's, for want of a history
// the sums do not keep: overdue is the county's open disputes overdue now
// (given for m only when m is the current month, else 0), and the
// resolution rate behind the colour is the cohort's now, not at the month's
// end.
func CountyWarning(county string, m Month, cur, prev, all Sums, overdueNow int, current bool, t Targets) Warning {
	counts := func(month Month, s Sums, overdue int) warningCounts {
		return warningCounts{registered: s.Registered, high: s.RiskHigh, medium: s.RiskMedium, overdue: overdue,
			repeats: all.RepeatsIn[month.String()], rebounds: all.ReboundsIn[month.String()], resolved: s.Resolved}
	}
	overdue := 0
	if current {
		overdue = overdueNow
	}
	w := scoreCounts(ByCounty, m, counts(m, cur, overdue), t)
	before := scoreCounts(ByCounty, m.Prev(), counts(m.Prev(), prev, 0), t)
	w.Area, w.PreviousScore, w.PreviousColor, w.Change = county, before.Score, before.Colour, w.Score-before.Score
	return w
}

// SortWarnings orders warnings by score, highest first, then by area.
func SortWarnings(ws []Warning) {
	slices.SortFunc(ws, func(a, b Warning) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.Area, b.Area)
	})
}

// colour applies the county's thresholds, then its two overriding rules:
// overdue disputes at or above the red count make the area red, and a
// resolution rate below the county's target makes it at least yellow.
func colour(score, overdue int, resolution Rate, t Targets) (string, []string) {
	w := t.Warning
	c := w.Colour(score)
	reasons := []string{fmt.Sprintf("score %d: %s (yellow from %d, red from %d)", score, c, w.YellowFrom, w.RedFrom)}
	if overdue >= w.OverdueRedCount && w.OverdueRedCount > 0 {
		c = "red"
		reasons = append(reasons, fmt.Sprintf("red: %d overdue disputes, at or above the county's %d", overdue, w.OverdueRedCount))
	}
	target := float64(w.ResolutionRateTargetPercent) / 100
	if c == "blue" && resolution.Denominator > 0 && resolution.Value < target {
		c = "yellow"
		reasons = append(reasons, fmt.Sprintf("yellow: resolution rate %d/%d below the county's target of %d%%",
			resolution.Numerator, resolution.Denominator, w.ResolutionRateTargetPercent))
	}
	return c, reasons
}

func component(name string, count int, r float64, weight int) Component {
	return Component{Name: name, Count: count, Ratio: r, Weight: weight, Points: math.Round(r*float64(weight)*100) / 100}
}

// ratio is x ÷ full capped at 1, and 0 when full is 0.
func ratio(x, full float64) float64 {
	if full <= 0 {
		return 0
	}
	return min(x/full, 1)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countIn counts the file's entries in month m that match.
func (cf CaseFile) countIn(m Month, match func(Entry) bool) int {
	n := 0
	for _, e := range cf.Timeline {
		if m.Contains(e.At) && match(e) {
			n++
		}
	}
	return n
}

// AsOf is the case file as it stood at t: only the entries up to t.
func (cf CaseFile) AsOf(t time.Time) CaseFile {
	i := 0
	for i < len(cf.Timeline) && !cf.Timeline[i].At.After(t) {
		i++
	}
	cf.Timeline = cf.Timeline[:i]
	cf.Round = 1
	for _, e := range cf.Timeline {
		cf.Round = max(cf.Round, e.Round)
	}
	return cf
}
