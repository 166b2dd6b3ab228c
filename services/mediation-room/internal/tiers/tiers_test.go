package tiers

import (
	"testing"
	"time"

	"fengqiao.dev/api/policy"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestAfterFailedSession(t *testing.T) {
	rule := Rule{EscalateAfter: 7 * 24 * time.Hour, FailuresToEscalate: 2}
	for _, tc := range []struct {
		name     string
		tier     policy.Tier
		failed   int
		escalate bool
		to       policy.Tier
	}{
		{"one failure at the village: try again", policy.TierVillage, 1, false, policy.TierVillage},
		{"two failures at the village: to the station", policy.TierVillage, 2, true, policy.TierStation},
		{"two failures at the station: to the street centre", policy.TierStation, 2, true, policy.TierStreet},
		{"three failures at the station: still one tier up", policy.TierStation, 3, true, policy.TierStreet},
		{"tier 1 has nowhere higher", policy.TierStreet, 5, false, policy.TierStreet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := AfterFailedSession(tc.tier, tc.failed, rule)
			if d.Escalate != tc.escalate || d.To != tc.to || d.From != tc.tier {
				t.Fatalf("decision %+v, want escalate=%v to %d", d, tc.escalate, tc.to)
			}
			if tc.escalate && (d.Trigger != TriggerFailedSessions || d.Reason == "") {
				t.Fatalf("escalation without its trigger or reason: %+v", d)
			}
		})
	}
}

func TestAtDeadline(t *testing.T) {
	rule := Rule{EscalateAfter: 5 * 24 * time.Hour, FailuresToEscalate: 2}
	for _, tc := range []struct {
		name     string
		tier     policy.Tier
		elapsed  time.Duration
		escalate bool
		trigger  string
	}{
		{"within the deadline", policy.TierVillage, 4 * 24 * time.Hour, false, ""},
		{"at the deadline", policy.TierVillage, 5 * 24 * time.Hour, true, TriggerDeadline},
		{"past it at the station", policy.TierStation, 6 * 24 * time.Hour, true, TriggerDeadline},
		{"past it at tier 1: the trigger, not a move", policy.TierStreet, 6 * 24 * time.Hour, false, TriggerDeadline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := AtDeadline(tc.tier, t0, t0.Add(tc.elapsed), rule)
			if d.Escalate != tc.escalate || d.Trigger != tc.trigger {
				t.Fatalf("decision %+v, want escalate=%v trigger %q", d, tc.escalate, tc.trigger)
			}
		})
	}
}

func TestRuleAndStartTierFromPolicy(t *testing.T) {
	p := &policy.CountyPolicy{Escalation: policy.Escalation{
		Low:  policy.RiskEscalation{EscalateAfter: policy.Days(2), StartTier: policy.TierStation},
		High: policy.RiskEscalation{StartTier: 0},
	}}
	for _, tc := range []struct {
		name  string
		p     *policy.CountyPolicy
		risk  policy.RiskLevel
		after time.Duration
		start policy.Tier
	}{
		// Without a policy, the MediationCenter's defaults (api/policy).
		{"no policy, low", nil, policy.RiskLow, 10 * 24 * time.Hour, policy.TierVillage},
		{"no policy, medium", nil, policy.RiskMedium, 5 * 24 * time.Hour, policy.TierStation},
		{"no policy, high", nil, policy.RiskHigh, 24 * time.Hour, policy.TierStreet},
		{"policy sets low", p, policy.RiskLow, 2 * 24 * time.Hour, policy.TierStation},
		{"policy silent on high: defaults", p, policy.RiskHigh, 24 * time.Hour, policy.TierStreet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := RuleFor(tc.p, tc.risk)
			if r.EscalateAfter != tc.after || r.FailuresToEscalate != DefaultFailuresToEscalate {
				t.Fatalf("rule %+v, want after %s", r, tc.after)
			}
			if got := StartTier(tc.p, tc.risk); got != tc.start {
				t.Fatalf("start tier %d, want %d", got, tc.start)
			}
		})
	}
}

// The county sets how many failed sessions move a case up, and which
// categories go straight to the station's joint table (三所联调) whatever
// tier their risk starts at.
func TestTheCountySetsFailuresAndJointSessionCategories(t *testing.T) {
	p := &policy.CountyPolicy{Escalation: policy.Escalation{
		Low: policy.RiskEscalation{StartTier: policy.TierVillage}, High: policy.RiskEscalation{StartTier: policy.TierStreet},
		FailuresToEscalate: 3, JointSessionCategories: []policy.Category{policy.Neighbour},
	}}
	for _, tc := range []struct {
		name     string
		p        *policy.CountyPolicy
		risk     policy.RiskLevel
		category policy.Category
		start    policy.Tier
		failures int
	}{
		{"no policy", nil, policy.RiskLow, policy.Neighbour, policy.TierVillage, DefaultFailuresToEscalate},
		{"a joint-session category at low risk", p, policy.RiskLow, policy.Neighbour, policy.TierStation, 3},
		{"another category at low risk", p, policy.RiskLow, policy.Labour, policy.TierVillage, 3},
		{"a joint-session category at high risk stays at tier 1", p, policy.RiskHigh, policy.Neighbour, policy.TierStreet, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := StartTierFor(tc.p, tc.risk, tc.category); got != tc.start {
				t.Errorf("start tier %d, want %d", got, tc.start)
			}
			if got := RuleFor(tc.p, tc.risk).FailuresToEscalate; got != tc.failures {
				t.Errorf("failures to escalate %d, want %d", got, tc.failures)
			}
		})
	}
}
