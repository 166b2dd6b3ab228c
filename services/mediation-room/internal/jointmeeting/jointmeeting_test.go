package jointmeeting

import (
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestTriggers(t *testing.T) {
	defaults := RuleFor(nil, policy.RiskLow)
	withAfter := Rule{After: 10 * 24 * time.Hour}
	for _, tc := range []struct {
		name  string
		facts Facts
		rule  Rule
		want  []string
	}{
		{"an ordinary village dispute: none", Facts{Risk: policy.RiskLow, Round: 1, FailedSessions: 1}, defaults, nil},
		{"high risk alone: none yet", Facts{Risk: policy.RiskHigh, Round: 1}, RuleFor(nil, policy.RiskHigh), nil},
		{"high risk a session could not settle", Facts{Risk: policy.RiskHigh, Round: 1, FailedSessions: 1}, RuleFor(nil, policy.RiskHigh), []string{TriggerHighRisk}},
		{"a repeat dispute failing", Facts{Risk: policy.RiskLow, Round: 2}, defaults, []string{TriggerRepeat}},
		{"three failed sessions", Facts{Risk: policy.RiskLow, Round: 1, FailedSessions: 3}, defaults, []string{TriggerFailedSessions}},
		{"two outside agencies", Facts{Risk: policy.RiskLow, Round: 1, Agencies: 2}, defaults, []string{TriggerSeveralAgencies}},
		{"tier 1 failed", Facts{Risk: policy.RiskMedium, Round: 1, Tier1Failed: true}, RuleFor(nil, policy.RiskMedium), []string{TriggerTier1Failed}},
		{"tier 1 failed a low-risk case: not by default", Facts{Risk: policy.RiskLow, Round: 1, Tier1Failed: true}, defaults, nil},
		{"tier 1 failed, policy says no", Facts{Risk: policy.RiskMedium, Round: 1, Tier1Failed: true}, RuleFor(&policy.CountyPolicy{}, policy.RiskMedium), nil},
		{"open too long", Facts{Round: 1, OpenedAt: t0, Now: t0.Add(10 * 24 * time.Hour)}, withAfter, []string{TriggerOverdue}},
		{"not yet too long", Facts{Round: 1, OpenedAt: t0, Now: t0.Add(9 * 24 * time.Hour)}, withAfter, nil},
		{"several at once, in order", Facts{Risk: policy.RiskHigh, Round: 3, FailedSessions: 4, Agencies: 3}, RuleFor(nil, policy.RiskHigh),
			[]string{TriggerHighRisk, TriggerRepeat, TriggerFailedSessions, TriggerSeveralAgencies}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Triggers(tc.facts, tc.rule); !slices.Equal(got, tc.want) {
				t.Fatalf("Triggers = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRuleForReadsThePolicy(t *testing.T) {
	p := &policy.CountyPolicy{Escalation: policy.Escalation{High: policy.RiskEscalation{JointMeetingAfter: policy.Days(3), JointMeetingWhenTier1Fails: true}}}
	r := RuleFor(p, policy.RiskHigh)
	if r.After != 72*time.Hour || !r.WhenTier1Fails || !r.OnHighRisk {
		t.Fatalf("rule %+v", r)
	}
}
