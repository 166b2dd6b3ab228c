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

// DefaultMaxReturns and DefaultWarnAt are the MediationCenter's defaults
// (api/policy), for a county without a policy or whose policy leaves them
// unset.
var (
	DefaultMaxReturns = *policy.DefaultEscalation().MaxReturns
	DefaultWarnAt     = policy.DefaultEscalation().WarnAtPercent
)

// TermsFor returns the terms of a dispute of risk r in a county with policy p
// (nil: no published policy, and the MediationCenter's defaults apply) and
// calendar cal. A high-risk copy runs on the wall clock: a dispute that may
// turn violent (民转刑) does not wait for Monday. Medium and low risk run on
// business days. An unknown level is treated as the most urgent.
func TermsFor(p *policy.CountyPolicy, r policy.RiskLevel, cal calendar.Calendar) Terms {
	if r != policy.RiskMedium && r != policy.RiskLow {
		r = policy.RiskHigh
	}
	defaults := policy.DefaultEscalation().For(r)
	t := Terms{
		AcceptWithin: defaults.AcceptanceDeadline.Duration, Calendar: cal, BusinessDays: r != policy.RiskHigh,
		StartLevel: levelOfTier(defaults.StartTier), MaxReturns: DefaultMaxReturns, WarnAt: DefaultWarnAt,
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
