package countypolicy

import (
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
)

// The defaults below mirror the +kubebuilder:default markers of api/v1alpha1.
// The apiserver (and localpolicy) apply those before the operator sees a
// resource; these only cover an object built in Go without them, and
// TestDefaultsMatchCRD keeps the two in step.

// DefaultCapacity is a mediator's capacity when the spec omits it.
const DefaultCapacity = 5

var defaultEscalation = v1alpha1.Escalation{
	High: &v1alpha1.RiskEscalation{AcceptanceHours: 2, ResolutionDays: 3, StartTier: 1,
		EscalateAfterHours: 24, JointMeetingAfterDays: 2, JointMeetingWhenTier1Fails: true, RepeatCallThreshold: 2},
	Medium: &v1alpha1.RiskEscalation{AcceptanceHours: 24, ResolutionDays: 15, StartTier: 2,
		EscalateAfterHours: 120, JointMeetingAfterDays: 10, JointMeetingWhenTier1Fails: true, RepeatCallThreshold: 3},
	Low: &v1alpha1.RiskEscalation{AcceptanceHours: 72, ResolutionDays: 30, StartTier: 3,
		EscalateAfterHours: 240, RepeatCallThreshold: 3},
}

var defaultRebound = []v1alpha1.ReboundRule{
	{Category: "marriage_family", ExtraRevisits: 2, IntervalDays: 30},
	{Category: "neighbour", ExtraRevisits: 1, IntervalDays: 30},
	{Category: "land_forest", ExtraRevisits: 1, IntervalDays: 30},
	{Category: "contract", ExtraRevisits: 1, IntervalDays: 30},
	{Category: "requisition_demolition", ExtraRevisits: 2, IntervalDays: 30},
}

func capacity(c *int32) int {
	if c == nil {
		return DefaultCapacity
	}
	return int(*c)
}

// Defaults of the county-wide escalation fields, as the CRD's markers.
const (
	defaultMaxReturns         = 2
	defaultFailuresToEscalate = 2
	defaultRepeatWindowDays   = 30
	defaultRiskScoreHigh      = 4
	defaultRiskScoreMedium    = 2
)

var defaultWarnAtPercent = []int32{50, 75}

func escalation(e v1alpha1.Escalation) policy.Escalation {
	out := policy.Escalation{
		High:               risk(pick(e.High, defaultEscalation.High)),
		Medium:             risk(pick(e.Medium, defaultEscalation.Medium)),
		Low:                risk(pick(e.Low, defaultEscalation.Low)),
		FailuresToEscalate: int(orInt(e.FailuresToEscalate, defaultFailuresToEscalate)),
		RepeatWindow:       policy.Days(int(orInt(e.RepeatWindowDays, defaultRepeatWindowDays))),
		RiskScoreHigh:      int(orInt(e.RiskScoreHigh, defaultRiskScoreHigh)),
		RiskScoreMedium:    int(orInt(e.RiskScoreMedium, defaultRiskScoreMedium)),
	}
	maxReturns := defaultMaxReturns
	if e.MaxReturns != nil {
		maxReturns = int(*e.MaxReturns)
	}
	out.MaxReturns = &maxReturns
	warn := e.WarnAtPercent
	if len(warn) == 0 {
		warn = defaultWarnAtPercent
	}
	for _, p := range warn {
		out.WarnAtPercent = append(out.WarnAtPercent, int(p))
	}
	for _, c := range e.JointSessionCategories {
		out.JointSessionCategories = append(out.JointSessionCategories, policy.Category(c))
	}
	return out
}

func pick(r, def *v1alpha1.RiskEscalation) *v1alpha1.RiskEscalation {
	if r == nil {
		return def
	}
	return r
}

func risk(r *v1alpha1.RiskEscalation) policy.RiskEscalation {
	return policy.RiskEscalation{
		AcceptanceDeadline:         policy.Hours(int(r.AcceptanceHours)),
		ResolutionDeadline:         policy.Days(int(r.ResolutionDays)),
		StartTier:                  policy.Tier(r.StartTier),
		EscalateAfter:              policy.Hours(int(r.EscalateAfterHours)),
		JointMeetingAfter:          policy.Days(int(r.JointMeetingAfterDays)),
		JointMeetingWhenTier1Fails: r.JointMeetingWhenTier1Fails,
		RepeatCallThreshold:        int(r.RepeatCallThreshold),
	}
}

func revisit(r v1alpha1.RevisitPolicy) policy.RevisitPolicy {
	out := policy.RevisitPolicy{
		Deadline:          policy.Days(int(orInt(r.DeadlineDays, 14))),
		TargetRatePercent: int(orInt(r.TargetRatePercent, 95)),
	}
	for _, c := range r.Channels {
		out.Channels = append(out.Channels, policy.RevisitChannel(c))
	}
	if len(out.Channels) == 0 {
		out.Channels = []policy.RevisitChannel{policy.RevisitOnSite, policy.RevisitPhone, policy.RevisitWeChat}
	}
	rules := r.ReboundProne
	if rules == nil {
		rules = defaultRebound
	}
	for _, rule := range rules {
		out.ReboundProne = append(out.ReboundProne, policy.ReboundRule{
			Category:      policy.Category(rule.Category),
			ExtraRevisits: int(rule.ExtraRevisits),
			Interval:      policy.Days(int(orInt(rule.IntervalDays, 30))),
		})
	}
	return out
}

func warningIndex(w v1alpha1.WarningIndex) policy.WarningIndex {
	return policy.WarningIndex{
		YellowFrom:                  int(orInt(w.YellowFrom, 40)),
		RedFrom:                     int(orInt(w.RedFrom, 70)),
		ResolutionRateTargetPercent: int(orInt(w.ResolutionRateTargetPercent, 80)),
		OverdueRedCount:             int(orInt(w.OverdueRedCount, 10)),
	}
}

func orInt(v, def int32) int32 {
	if v == 0 {
		return def
	}
	return v
}
