// Package jointmeeting decides when a dispute needs a joint meeting (联席会议,
// "公安吹哨、部门到位", Qingdao): the police blow the whistle and the
// departments concerned come to the table, convened by the county's
// political-legal committee. Triggers come from the county policy: high risk,
// a repeat dispute, N failed sessions, several agencies involved, tier 1
// unable to settle, or a dispute open too long. Plain Go, no I/O.
package jointmeeting

import (
	"time"

	"fengqiao.dev/api/policy"
)

// Triggers, as published (events.JointMeetingConvened).
const (
	TriggerHighRisk        = "high_risk"
	TriggerRepeat          = "repeat"
	TriggerFailedSessions  = "failed_sessions"
	TriggerSeveralAgencies = "several_agencies"
	TriggerTier1Failed     = "tier1_failed"
	TriggerOverdue         = "overdue"
	// TriggerRequested: a person blew the whistle ("公安吹哨") without
	// waiting for the policy's triggers.
	TriggerRequested = "requested"
)

// Rule holds the thresholds of one dispute's risk level.
type Rule struct {
	OnHighRisk      bool          // a high-risk dispute gets one once a session has failed
	RepeatFromRound int           // a dispute in this round or later is a repeat
	FailedSessions  int           // failed sessions in all tiers
	Agencies        int           // outside agencies involved
	WhenTier1Fails  bool          // tier 1 could not settle it
	After           time.Duration // open this long; zero never
}

// Defaults apply where the county has no policy: platform thresholds,
// set so an ordinary village dispute never needs one.
const (
	DefaultFailedSessions = 3
	DefaultAgencies       = 2
	DefaultRepeatRound    = 2
)

// RuleFor reads the rule of a risk level from the policy (nil: the
// MediationCenter's defaults, api/policy).
func RuleFor(p *policy.CountyPolicy, risk policy.RiskLevel) Rule {
	r := Rule{OnHighRisk: risk == policy.RiskHigh, RepeatFromRound: DefaultRepeatRound,
		FailedSessions: DefaultFailedSessions, Agencies: DefaultAgencies}
	e := policy.DefaultEscalation().For(risk)
	if p != nil {
		e = p.Escalation.For(risk)
	}
	r.WhenTier1Fails = e.JointMeetingWhenTier1Fails
	r.After = e.JointMeetingAfter.Duration
	return r
}

// Facts are what the room knows of a dispute when it asks.
type Facts struct {
	Risk           policy.RiskLevel
	Round          int
	FailedSessions int
	Agencies       int // outside agencies involved (labour bureau, housing…)
	Tier1Failed    bool
	OpenedAt, Now  time.Time
}

// Triggers lists every trigger the facts meet, in a fixed order; none means
// no joint meeting.
func Triggers(f Facts, r Rule) []string {
	var out []string
	add := func(ok bool, trigger string) {
		if ok {
			out = append(out, trigger)
		}
	}
	// High risk alone is tier 1's business; high risk that a session could
	// not settle calls the departments in.
	add(r.OnHighRisk && f.Risk == policy.RiskHigh && f.FailedSessions > 0, TriggerHighRisk)
	add(r.RepeatFromRound > 0 && f.Round >= r.RepeatFromRound, TriggerRepeat)
	add(r.FailedSessions > 0 && f.FailedSessions >= r.FailedSessions, TriggerFailedSessions)
	add(r.Agencies > 0 && f.Agencies >= r.Agencies, TriggerSeveralAgencies)
	add(r.WhenTier1Fails && f.Tier1Failed, TriggerTier1Failed)
	add(r.After > 0 && !f.Now.Before(f.OpenedAt.Add(r.After)), TriggerOverdue)
	return out
}
