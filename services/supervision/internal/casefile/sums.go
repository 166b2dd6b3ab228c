package casefile

import (
	"maps"
	"slices"
	"time"

	"fengqiao.dev/api/events"
)

// AllTime is the Sums.Month of a county's sums over every registration.
const AllTime = "all"

// Sums are the counts behind a county's KPIs and its statistics export,
// over its disputes of all time or over one month's registrations. They
// are sums of what each case file contributes (SumsOf one file), so a
// change of one case file moves them by its contribution after the change
// minus its contribution before (Count), and the sums of several counties
// add up (Add) to their prefecture's or province's: the figures above the
// counties read one document per county, never the case files.
//
// What a case file contributes to OnTime depends on the resolution
// deadlines of its county, as the tally's due times do; the sums are
// rebuilt with the tally when those change.
type Sums struct {
	CountyCode string
	// Month is the registration month ("2026-11") the sums are over, or
	// AllTime.
	Month        string
	Registered   int
	Stages       map[Stage]int
	Resolved     int
	SettledOnce  int
	Revisited    int
	Rebounded    int
	OnTime       int
	SettledKnown int
	Signed       int
	Satisfied    int
	Rated        int
	SignTotal    time.Duration
	SettleTotal  time.Duration
	AmountFen    int64
	// AmountByCategory holds only categories with money owed.
	AmountByCategory map[events.Category]int64
	// RiskHigh and RiskMedium count the disputes at those risk levels now.
	RiskHigh   int
	RiskMedium int
	// RepeatsIn and ReboundsIn count the repeat reports linked and the
	// rebounds a revisit found, by the month ("2026-11") they happened,
	// whatever month the dispute was registered in: the warning index
	// reads them from the all-time sums.
	RepeatsIn  map[string]int
	ReboundsIn map[string]int
	// ResolvedByMonthEnd counts the disputes resolved as they stood at the
	// end of their registration month: the resolution rate behind an
	// area's colour in the warning index of that month.
	ResolvedByMonthEnd int
	// OverdueFrom counts, by month, the spells of being overdue that
	// began in it minus those that ended in it (OverdueAt), so the
	// disputes overdue at a past month's end are read from the all-time
	// sums as the warning index scores them.
	OverdueFrom map[string]int
	// Statistics count the disputes by category × outcome × tier with
	// the money their agreements owe, keyed by StatKey; the sums by key
	// (KeySums) leave them out.
	Statistics map[string]StatCell
	// Recent are the latest changes counted, as in the tally: a change
	// counted again after a lost reply is recognised.
	Recent []string
}

// StatCell is one combination's count and money.
type StatCell struct {
	Count     int
	AmountFen int64
}

// StatKey names a combination of the statistics: category/outcome/tier.
func StatKey(category events.Category, outcome, tier string) string {
	return string(category) + "/" + outcome + "/" + tier
}

// NewSums are empty sums of county over month (or AllTime).
func NewSums(county, month string) Sums {
	return Sums{CountyCode: county, Month: month, Stages: map[Stage]int{},
		AmountByCategory: map[events.Category]int64{}, Statistics: map[string]StatCell{},
		RepeatsIn: map[string]int{}, ReboundsIn: map[string]int{}, OverdueFrom: map[string]int{}}
}

// SumsID is the _id of a county's sums over month (or AllTime).
func SumsID(county, month string) string { return county + "/" + month }

// SumsMonths are the sums a case file counts in: all time, and its
// registration month once it is known (a case file a downstream event
// created before its registration arrived has none yet).
func SumsMonths(cf CaseFile) []string {
	registered := cf.RegisteredAt()
	if registered.IsZero() {
		return []string{AllTime}
	}
	return []string{AllTime, MonthOf(registered).String()}
}

// SumsOf adds up the contributions of files, whatever their counties or
// months, measured against t.
func SumsOf(files []CaseFile, t Targets) Sums {
	s := NewSums("", "")
	for _, f := range files {
		s.add(f, t, +1)
	}
	return s
}

// Contribution is what one case file adds to the sums it counts in; a
// case file not stored yet adds nothing.
func Contribution(cf CaseFile, exists bool, t Targets) Sums {
	s := NewSums(cf.CountyCode, "")
	if exists {
		s.add(cf, t, +1)
	}
	return s
}

// Count moves the sums by after − before, once per change ID; it reports
// whether they changed.
func (s *Sums) Count(change string, before, after Sums) bool {
	if slices.Contains(s.Recent, change) {
		return false
	}
	s.Add(after, +1)
	s.Add(before, -1)
	s.Recent = append(slices.Clone(s.Recent), change)
	if len(s.Recent) > maxRecent {
		s.Recent = s.Recent[len(s.Recent)-maxRecent:]
	}
	return true
}

// Add adds o to s sign times (+1 or −1): a contribution in or out, or
// one county's sums into its prefecture's or province's.
func (s *Sums) Add(o Sums, sign int) {
	s.ensureMaps()
	s.Registered += sign * o.Registered
	for stage, n := range o.Stages {
		addCount(s.Stages, stage, sign*n)
	}
	s.Resolved += sign * o.Resolved
	s.SettledOnce += sign * o.SettledOnce
	s.Revisited += sign * o.Revisited
	s.Rebounded += sign * o.Rebounded
	s.OnTime += sign * o.OnTime
	s.SettledKnown += sign * o.SettledKnown
	s.Signed += sign * o.Signed
	s.Satisfied += sign * o.Satisfied
	s.Rated += sign * o.Rated
	s.SignTotal += time.Duration(sign) * o.SignTotal
	s.SettleTotal += time.Duration(sign) * o.SettleTotal
	s.AmountFen += int64(sign) * o.AmountFen
	s.RiskHigh += sign * o.RiskHigh
	s.RiskMedium += sign * o.RiskMedium
	for month, n := range o.RepeatsIn {
		addCount(s.RepeatsIn, month, sign*n)
	}
	for month, n := range o.ReboundsIn {
		addCount(s.ReboundsIn, month, sign*n)
	}
	s.ResolvedByMonthEnd += sign * o.ResolvedByMonthEnd
	for month, n := range o.OverdueFrom {
		addCount(s.OverdueFrom, month, sign*n)
	}
	for c, amount := range o.AmountByCategory {
		if s.AmountByCategory[c] += int64(sign) * amount; s.AmountByCategory[c] == 0 {
			delete(s.AmountByCategory, c)
		}
	}
	for key, cell := range o.Statistics {
		sum := s.Statistics[key]
		sum.Count += sign * cell.Count
		sum.AmountFen += int64(sign) * cell.AmountFen
		if sum == (StatCell{}) {
			delete(s.Statistics, key)
		} else {
			s.Statistics[key] = sum
		}
	}
}

func (s *Sums) ensureMaps() {
	if s.Stages == nil {
		s.Stages = map[Stage]int{}
	}
	if s.AmountByCategory == nil {
		s.AmountByCategory = map[events.Category]int64{}
	}
	if s.Statistics == nil {
		s.Statistics = map[string]StatCell{}
	}
	if s.RepeatsIn == nil {
		s.RepeatsIn = map[string]int{}
	}
	if s.ReboundsIn == nil {
		s.ReboundsIn = map[string]int{}
	}
	if s.OverdueFrom == nil {
		s.OverdueFrom = map[string]int{}
	}
}

func addCount[K comparable](m map[K]int, key K, delta int) {
	if m[key] += delta; m[key] == 0 {
		delete(m, key)
	}
}

// add counts one case file in (sign +1) or out (−1), as ComputeFor and the
// statistics export count it.
func (s *Sums) add(f CaseFile, t Targets, sign int) {
	s.ensureMaps()
	var c counts
	c.add(f, t)
	one := Sums{Registered: 1, Stages: map[Stage]int{f.Stage(): 1},
		Resolved: c.resolved, SettledOnce: c.settledOnce, Revisited: c.revisited, Rebounded: c.rebounded,
		OnTime: c.onTime, SettledKnown: c.settledKnown, Signed: c.signed, Satisfied: c.satisfied, Rated: c.rated,
		SignTotal: c.signTotal, SettleTotal: c.settleTotal,
		AmountByCategory: map[events.Category]int64{},
		Statistics:       map[string]StatCell{StatKey(f.Category, StatsOutcome(f), statsTier(f)): {Count: 1, AmountFen: f.AmountFen()}},
		RiskHigh:         b2i(f.RiskLevel == events.RiskHigh), RiskMedium: b2i(f.RiskLevel == events.RiskMedium),
		RepeatsIn: map[string]int{}, ReboundsIn: map[string]int{},
		ResolvedByMonthEnd: resolvedByMonthEnd(f), OverdueFrom: t.overdueSpells(f),
	}
	for _, e := range f.Timeline {
		switch {
		case e.Type == events.TypeDisputeReportLinked:
			one.RepeatsIn[MonthOf(e.At).String()]++
		case e.Type == events.TypeRevisitCompleted && e.Outcome == events.RevisitRebound:
			one.ReboundsIn[MonthOf(e.At).String()]++
		}
	}
	if amount := f.AmountFen(); amount > 0 {
		one.AmountFen, one.AmountByCategory[f.Category] = amount, amount
	}
	s.Add(one, sign)
}

// OverdueAt is how many of the disputes summed were overdue at the end of
// month m, from the all-time sums' OverdueFrom.
func (s Sums) OverdueAt(m Month) int {
	n, last := 0, m.String()
	for month, delta := range s.OverdueFrom {
		if month <= last {
			n += delta
		}
	}
	return n
}

// resolvedByMonthEnd is 1 when the dispute was resolved as it stood at the
// end of its registration month, as the warning index judges its cohort.
func resolvedByMonthEnd(f CaseFile) int {
	registered := f.RegisteredAt()
	if registered.IsZero() {
		return 0
	}
	return b2i(f.AsOf(MonthOf(registered).End().Add(-time.Nanosecond)).Stage().IsResolved())
}

// overdueSpells are the spells the dispute is overdue (Overdue of the case
// file as it stood, from its registration on), as +1 in the month each
// begins and −1 in the month each ends: between two entries of its
// timeline a case file stands still, and once past its deadline it stays
// overdue until its next entry. A spell not ended yet counts from its
// month on, even one that begins after now: the sums are read only for
// months that have ended.
func (t Targets) overdueSpells(f CaseFile) map[string]int {
	out := map[string]int{}
	registered := f.RegisteredAt()
	for i := 0; i < len(f.Timeline); {
		from := f.Timeline[i].At
		j := i
		for j < len(f.Timeline) && !f.Timeline[j].At.After(from) {
			j++
		}
		stood := f.AsOf(from)
		i = j
		if !stood.Open() {
			continue
		}
		start := t.overdueAfter(stood).Add(time.Nanosecond)
		start = latest(start, from, registered)
		if i < len(f.Timeline) && !start.Before(f.Timeline[i].At) {
			continue // its next entry came before its deadline
		}
		addCount(out, MonthOf(start).String(), +1)
		if i < len(f.Timeline) {
			addCount(out, MonthOf(f.Timeline[i].At).String(), -1)
		}
	}
	return out
}

func latest(ts ...time.Time) time.Time {
	out := ts[0]
	for _, t := range ts[1:] {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// KPIs are the figures of the sums as of asOf, measured against t: what
// ComputeFor gives for the same case files, but for the overdue disputes,
// which depend on the moment and come from the counties' tallies (the
// caller sets Overdue; OverdueByUnit stays empty).
func (s Sums) KPIs(asOf time.Time, t Targets) KPIs {
	k := KPIs{AsOf: asOf, Targets: RateTargets{Resolution: t.ResolutionRate, Revisit: t.RevisitRate},
		Registered: s.Registered, Stages: make(map[Stage]int, len(Stages())),
		AmountFen: s.AmountFen, AmountByCategory: make(map[events.Category]int64, len(events.Categories())),
		OverdueByUnit: map[string][]string{}}
	for _, stage := range Stages() {
		k.Stages[stage] = s.Stages[stage]
	}
	for _, c := range events.Categories() {
		k.AmountByCategory[c] = s.AmountByCategory[c]
	}
	k.Resolution = NewRate(s.Resolved, s.Registered)
	k.OnTime = NewRate(s.OnTime, s.SettledKnown)
	k.TimeToSign = meanOf(s.SignTotal, s.Signed)
	k.Revisit = NewRate(s.Revisited, s.SettledOnce)
	k.Rebound = NewRate(s.Rebounded, s.Revisited)
	k.Satisfaction = NewRate(s.Satisfied, s.Rated)
	k.TimeToSettle = meanOf(s.SettleTotal, s.SettledKnown)
	return k
}

// SumsByMonth splits files into the sums each counts in, keyed by SumsID:
// the sums of counties built from scratch.
func SumsByMonth(files []CaseFile, targets func(county string) Targets) map[string]*Sums {
	out := map[string]*Sums{}
	for _, f := range files {
		if f.CountyCode == "" {
			continue // counted nowhere, as in the tallies
		}
		for _, month := range SumsMonths(f) {
			id := SumsID(f.CountyCode, month)
			if out[id] == nil {
				fresh := NewSums(f.CountyCode, month)
				out[id] = &fresh
			}
			out[id].add(f, targets(f.CountyCode), +1)
		}
	}
	return out
}

// CountiesOf lists the counties of sums, sorted.
func CountiesOf(sums map[string]*Sums) []string {
	seen := map[string]bool{}
	for _, s := range sums {
		seen[s.CountyCode] = true
	}
	return slices.Sorted(maps.Keys(seen))
}
