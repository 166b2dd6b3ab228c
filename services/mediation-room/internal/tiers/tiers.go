// Package tiers decides when a dispute moves up Pingdu's three tiers
// (Qingdao): tier 3 village peacemakers (和事佬) → tier 2 the police station's
// administrative mediation committee → tier 1 the street people's mediation
// centre, for cases likely to turn criminal. Failure at a tier or a missed
// deadline moves it one tier up, per the county's escalation policy, with the
// reason. Plain Go, no I/O.
package tiers

import (
	"fmt"
	"time"

	"fengqiao.dev/api/policy"
)

// Triggers of an escalation, as published (events.MediationEscalated).
const (
	TriggerFailedSessions = "failed_sessions"
	TriggerDeadline       = "deadline"
	// TriggerJointSession: a person, or the county's policy for the
	// category, sent the case straight to the station's 三所联调 room.
	TriggerJointSession = "joint_session"
	// TriggerRiskRaised: the dispute's risk was raised while in mediation,
	// and its new level starts at a higher tier.
	TriggerRiskRaised = "risk_raised"
)

// DefaultFailuresToEscalate is how many failed sessions at one tier move a
// dispute up when the county's policy says nothing: the MediationCenter's
// default (api/policy), two tries at the village before the station takes
// over.
var DefaultFailuresToEscalate = policy.DefaultEscalation().FailuresToEscalate

// Rule is the escalation rule of one dispute.
type Rule struct {
	// EscalateAfter is how long a dispute may stay at a tier unresolved.
	EscalateAfter time.Duration
	// FailuresToEscalate is the number of failed sessions at a tier that
	// moves the dispute up.
	FailuresToEscalate int
}

// RuleFor reads the rule of a risk level from the county policy, or the
// MediationCenter's defaults when the county has none (p nil) or sets no
// deadline: the more urgent the risk, the shorter the stay at a tier.
func RuleFor(p *policy.CountyPolicy, risk policy.RiskLevel) Rule {
	defaults := policy.DefaultEscalation()
	r := Rule{EscalateAfter: defaults.For(risk).EscalateAfter.Duration, FailuresToEscalate: defaults.FailuresToEscalate}
	if p != nil {
		if d := p.Escalation.For(risk).EscalateAfter.Duration; d > 0 {
			r.EscalateAfter = d
		}
		if n := p.Escalation.FailuresToEscalate; n > 0 {
			r.FailuresToEscalate = n
		}
	}
	return r
}

// StartTierFor is the tier a dispute of a category and risk starts at: its
// risk's start tier, but at least the station's joint table (三所联调) for a
// category the county sends straight to a joint session.
func StartTierFor(p *policy.CountyPolicy, risk policy.RiskLevel, c policy.Category) policy.Tier {
	t := StartTier(p, risk)
	if p != nil && t > policy.TierStation && p.Escalation.JointSession(c) {
		return policy.TierStation
	}
	return t
}

// StartTier is the tier a risk level starts at: the policy's, else the
// MediationCenter's default, Pingdu's (low → 3, medium → 2, high → 1).
func StartTier(p *policy.CountyPolicy, risk policy.RiskLevel) policy.Tier {
	if p != nil {
		if t := p.Escalation.For(risk).StartTier; t.Valid() {
			return t
		}
	}
	return policy.DefaultEscalation().For(risk).StartTier
}

// Decision says whether to move a dispute up, to which tier, and why.
type Decision struct {
	Escalate bool
	From, To policy.Tier
	Trigger  string
	Reason   string
}

// Up returns the next tier up and false at the top (tier 1).
func Up(t policy.Tier) (policy.Tier, bool) {
	if t <= policy.TierStreet {
		return t, false
	}
	return t - 1, true
}

// AfterFailedSession decides after a session at tier failed; failed is the
// number of failed sessions at that tier, this one included.
func AfterFailedSession(tier policy.Tier, failed int, r Rule) Decision {
	if failed < r.FailuresToEscalate {
		return Decision{From: tier, To: tier}
	}
	return up(tier, TriggerFailedSessions, fmt.Sprintf("%d failed sessions at tier %d", failed, tier))
}

// AtDeadline decides whether a dispute at tier since sinceAt has outstayed
// the rule at now.
func AtDeadline(tier policy.Tier, sinceAt, now time.Time, r Rule) Decision {
	if now.Before(sinceAt.Add(r.EscalateAfter)) {
		return Decision{From: tier, To: tier}
	}
	return up(tier, TriggerDeadline, fmt.Sprintf("unresolved %s at tier %d (deadline %s)", now.Sub(sinceAt).Round(time.Hour), tier, r.EscalateAfter))
}

// DueAt is when a dispute at a tier since sinceAt must move up.
func DueAt(sinceAt time.Time, r Rule) time.Time { return sinceAt.Add(r.EscalateAfter) }

func up(tier policy.Tier, trigger, reason string) Decision {
	to, ok := Up(tier)
	if !ok {
		// Nowhere higher: tier 1 failing is a joint meeting's business
		// (policy JointMeetingWhenTier1Fails), not an escalation.
		return Decision{From: tier, To: tier, Trigger: trigger, Reason: reason}
	}
	return Decision{Escalate: true, From: tier, To: to, Trigger: trigger, Reason: reason}
}
