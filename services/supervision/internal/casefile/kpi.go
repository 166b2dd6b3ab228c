package casefile

import (
	"time"

	"fengqiao.dev/api/events"
)

// Rate is a ratio reported with its parts, so a reader can check it and a
// county can be compared with the sources' figures (docs/domain.md: Linxia >80%
// resolved, revisit rate ≥95%). Value is 0 when Denominator is 0. Target is
// the county's target (0–1), 0 when it set none.
type Rate struct {
	Value       float64
	Numerator   int
	Denominator int
}

// NewRate builds numerator ÷ denominator, 0 when the denominator is 0.
func NewRate(numerator, denominator int) Rate {
	r := Rate{Numerator: numerator, Denominator: denominator}
	if denominator > 0 {
		r.Value = float64(numerator) / float64(denominator)
	}
	return r
}

// RateTargets are a county's target rates, 0–1.
type RateTargets struct{ Resolution, Revisit float64 }

// Mean is an average duration with the number of values it is over; 0
// when Count is 0.
type Mean struct {
	Seconds float64
	Count   int
}

func meanOf(total time.Duration, n int) Mean {
	if n == 0 {
		return Mean{}
	}
	return Mean{Seconds: total.Seconds() / float64(n), Count: n}
}

// KPIs are the supervision figures (监督) of a set of case files — a
// county, township, unit or officer, all time or one month's registrations —
// as of a time. docs/kpis.md defines each once; these comments repeat it.
type KPIs struct {
	AsOf time.Time
	// Targets are the county's target rates (0–1; 0 when it set none):
	// the resolution rate and the revisit rate.
	Targets RateTargets
	// Registered counts the disputes: every case file in the set.
	Registered int
	// Stages counts the disputes by current stage; every stage is present
	// and the counts sum to Registered.
	Stages map[Stage]int
	// Resolution (化解率): disputes whose current round is resolved or later
	// (Stage.IsResolved) ÷ Registered. A rebounded dispute counts again only
	// once its new round is settled.
	Resolution Rate
	// OnTime (按期化解率): disputes first settled within the resolution
	// deadline of their risk level, counted from registration ÷ disputes
	// with a known first settlement.
	OnTime Rate
	// TimeToSign (签收用时): mean time from issue to signature over every
	// copy signed for.
	TimeToSign Mean
	// Revisit (回访率): disputes with a completed revisit, any outcome ÷
	// disputes settled at least once (ResolvedOnce).
	Revisit Rate
	// Rebound (反弹率): disputes a revisit found rebounded ÷ disputes with a
	// completed revisit.
	Rebound Rate
	// Satisfaction (满意率): completed revisits whose parties were satisfied
	// or basically satisfied ÷ completed revisits that recorded satisfaction.
	Satisfaction Rate
	// TimeToSettle (平均化解用时): mean time from registration to the first
	// settlement over disputes with a known first settlement.
	TimeToSettle Mean
	// AmountFen (协议金额): the money the disputes' agreements in force owe
	// (recovered wages, compensation), in fen; AmountByCategory splits it by
	// category, every category present.
	AmountFen        int64
	AmountByCategory map[events.Category]int64
	// Overdue (逾期): open disputes past their resolution deadline or with a
	// copy past its acceptance deadline as of AsOf (Targets.Overdue), and
	// their case codes by responsible unit.
	Overdue       int
	OverdueByUnit map[string][]string
}

// Compute returns the KPIs of files as of asOf under the default targets.
func Compute(files []CaseFile, asOf time.Time) KPIs { return ComputeFor(files, asOf, DefaultTargets()) }

// ComputeFor returns the KPIs of files as of asOf, measured against t. The
// caller chooses the set (see Scope); asOf is reported and judges what is
// overdue, never used to filter.
func ComputeFor(files []CaseFile, asOf time.Time, t Targets) KPIs {
	k := KPIs{AsOf: asOf, Targets: RateTargets{Resolution: t.ResolutionRate, Revisit: t.RevisitRate}, Registered: len(files), Stages: make(map[Stage]int, len(Stages()))}
	for _, s := range Stages() {
		k.Stages[s] = 0
	}
	k.AmountByCategory = make(map[events.Category]int64, len(events.Categories()))
	for _, c := range events.Categories() {
		k.AmountByCategory[c] = 0
	}
	k.OverdueByUnit = map[string][]string{}
	var c counts
	for _, f := range files {
		stage := f.Stage()
		k.Stages[stage]++
		c.add(f, t)
		if amount := f.AmountFen(); amount > 0 {
			k.AmountFen += amount
			k.AmountByCategory[f.Category] += amount
		}
		if !stage.IsFinished() && t.overdueOpen(f, asOf) {
			k.Overdue++
			unit := f.Unit().ID
			k.OverdueByUnit[unit] = append(k.OverdueByUnit[unit], orID(f.CaseCode, f.DisputeID))
		}
	}
	k.Resolution = NewRate(c.resolved, k.Registered)
	k.OnTime = NewRate(c.onTime, c.settledKnown)
	k.TimeToSign = meanOf(c.signTotal, c.signed)
	k.Revisit = NewRate(c.revisited, c.settledOnce)
	k.Rebound = NewRate(c.rebounded, c.revisited)
	k.Satisfaction = NewRate(c.satisfied, c.rated)
	k.TimeToSettle = meanOf(c.settleTotal, c.settledKnown)
	return k
}

func orID(caseCode, id string) string {
	if caseCode != "" {
		return caseCode
	}
	return id
}

// counts accumulates the numerators and denominators of the KPIs.
type counts struct {
	resolved, settledOnce, revisited, rebounded    int
	onTime, settledKnown, signed, satisfied, rated int
	signTotal, settleTotal                         time.Duration
}

func (c *counts) add(f CaseFile, t Targets) {
	if f.Stage().IsResolved() {
		c.resolved++
	}
	if f.ResolvedOnce() {
		c.settledOnce++
		if f.Revisited() {
			c.revisited++
			if f.Rebounded() {
				c.rebounded++
			}
		}
	}
	if settled, ok := f.FirstSettledAt(); ok {
		took := settled.Sub(f.RegisteredAt())
		c.settledKnown++
		c.settleTotal += took
		if took <= t.deadline(f.RiskLevel) {
			c.onTime++
		}
	}
	for _, e := range f.Timeline {
		switch {
		case e.Type == events.TypeReferralCopyAccepted:
			c.signed++
			c.signTotal += time.Duration(e.SignSeconds) * time.Second
		case e.Type == events.TypeRevisitCompleted && e.Satisfaction != "":
			c.rated++
			if e.Satisfaction != events.Dissatisfied {
				c.satisfied++
			}
		}
	}
}
