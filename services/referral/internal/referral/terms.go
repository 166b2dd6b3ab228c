package referral

import (
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/referral/internal/calendar"
)

// Level is a rung of the escalation ladder (village → station →
// street centre → county committee). An unsigned copy climbs one rung each
// time its deadline passes.
type Level int

// The ladder, from the bottom up.
const (
	LevelVillage Level = iota
	LevelStation
	LevelStreetCentre
	LevelCountyCommittee
)

var levelNames = [...]string{"village", "station", "street_centre", "county_committee"}

// String is the level's name in events.
func (l Level) String() string {
	if l < LevelVillage || l > LevelCountyCommittee {
		return "unknown"
	}
	return levelNames[l]
}

// levelOfTier maps the policy's start tier onto the ladder: tier 3 is the
// village peacemakers, tier 2 the police station, tier 1 the street centre.
func levelOfTier(t policy.Tier) Level {
	switch t {
	case policy.TierVillage:
		return LevelVillage
	case policy.TierStation:
		return LevelStation
	default:
		return LevelStreetCentre
	}
}

// Terms are a county's rules for one slip, read from its policy at the
// moment of each decision.
type Terms struct {
	AcceptWithin time.Duration     // the time each recipient has to sign for its copy
	Calendar     calendar.Calendar // the county's business days
	BusinessDays bool              // whether AcceptWithin counts only business time
	StartLevel   Level             // the level the jurisdiction copy starts at
	MaxReturns   int               // returns (退单) before the county centre owns the copy
	WarnAt       []int             // warnings at these percentages of AcceptWithin
}

// Defaults of a county without a policy, or whose policy leaves a value
// unset.
var (
	defaultAcceptWithin = map[policy.RiskLevel]time.Duration{
		policy.RiskHigh:   24 * time.Hour,
		policy.RiskMedium: 72 * time.Hour,
		policy.RiskLow:    7 * 24 * time.Hour,
	}
	defaultStartLevel = map[policy.RiskLevel]Level{
		policy.RiskHigh: LevelStreetCentre, policy.RiskMedium: LevelStation, policy.RiskLow: LevelVillage,
	}
	DefaultMaxReturns = 2
	DefaultWarnAt     = []int{50, 75}
)

// TermsFor returns the terms of a dispute of risk r in a county with policy p
// (nil: no published policy) and calendar cal. A high-risk copy runs on the
// wall clock: a dispute that may turn violent (民转刑) does not wait for
// Monday. Medium and low risk run on business days.
func TermsFor(p *policy.CountyPolicy, r policy.RiskLevel, cal calendar.Calendar) Terms {
	t := Terms{
		AcceptWithin: defaultAcceptWithin[r], Calendar: cal, BusinessDays: r != policy.RiskHigh,
		StartLevel: defaultStartLevel[r], MaxReturns: DefaultMaxReturns, WarnAt: DefaultWarnAt,
	}
	if t.AcceptWithin == 0 { // an unknown level is treated as the most urgent
		t.AcceptWithin, t.StartLevel, t.BusinessDays = defaultAcceptWithin[policy.RiskHigh], LevelStreetCentre, false
	}
	if p == nil {
		return t
	}
	if n := p.Escalation.MaxReturns; n != nil && *n >= 0 {
		t.MaxReturns = *n
	}
	if len(p.Escalation.WarnAtPercent) > 0 {
		t.WarnAt = p.Escalation.WarnAtPercent
	}
	esc := p.Escalation.For(r)
	if d := esc.AcceptanceDeadline.Duration; d > 0 {
		t.AcceptWithin = d
	}
	if esc.StartTier.Valid() {
		t.StartLevel = levelOfTier(esc.StartTier)
	}
	return t
}

// after returns the instant d after from, on the terms' clock.
func (t Terms) after(from time.Time, d time.Duration) time.Time {
	if t.BusinessDays {
		return t.Calendar.Add(from, d)
	}
	return from.Add(d)
}

// deadline is the acceptance deadline of a clock started at from.
func (t Terms) deadline(from time.Time) time.Time { return t.after(from, t.AcceptWithin).UTC() }
