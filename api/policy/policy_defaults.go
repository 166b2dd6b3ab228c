package policy

// The defaults below are the MediationCenter CRD's (the +kubebuilder:default
// markers of api/v1alpha1), the one set of numbers the platform has: the
// operator publishes them for whatever a county leaves unset, and a service
// deciding for a county it holds no policy of (a county retired while its
// cases run on, a platform with no policy published at all) takes them from
// here rather than from constants of its own. TestServiceDefaultsAreTheCRDs
// (operators/mediationcenter/localpolicy) derives a policy through the
// CRD's own defaulting and compares it with these, so the two cannot drift.

// DefaultEscalation is the escalation of a county that sets none.
func DefaultEscalation() Escalation {
	maxReturns := 2
	return Escalation{
		High: RiskEscalation{AcceptanceDeadline: Hours(2), ResolutionDeadline: Days(3), StartTier: TierStreet,
			EscalateAfter: Hours(24), JointMeetingAfter: Days(2), JointMeetingWhenTier1Fails: true, RepeatCallThreshold: 2},
		Medium: RiskEscalation{AcceptanceDeadline: Hours(24), ResolutionDeadline: Days(15), StartTier: TierStation,
			EscalateAfter: Hours(120), JointMeetingAfter: Days(10), JointMeetingWhenTier1Fails: true, RepeatCallThreshold: 3},
		Low: RiskEscalation{AcceptanceDeadline: Hours(72), ResolutionDeadline: Days(30), StartTier: TierVillage,
			EscalateAfter: Hours(240), RepeatCallThreshold: 3},
		MaxReturns:         &maxReturns,
		WarnAtPercent:      []int{50, 75},
		FailuresToEscalate: 2,
		RepeatWindow:       Days(30),
		RiskScoreHigh:      4,
		RiskScoreMedium:    2,
	}
}

// DefaultRevisit is the revisit policy of a county that sets none: the
// first revisit within two weeks (Qingdao), every channel, the
// rebound-prone categories Linxia names, a 95% revisit rate (Linxia).
func DefaultRevisit() RevisitPolicy {
	return RevisitPolicy{
		Deadline: Days(14),
		Channels: []RevisitChannel{RevisitOnSite, RevisitPhone, RevisitWeChat},
		ReboundProne: []ReboundRule{
			{Category: MarriageFamily, ExtraRevisits: 2, Interval: Days(30)},
			{Category: Neighbour, ExtraRevisits: 1, Interval: Days(30)},
			{Category: LandForest, ExtraRevisits: 1, Interval: Days(30)},
			{Category: Contract, ExtraRevisits: 1, Interval: Days(30)},
			{Category: RequisitionDemolition, ExtraRevisits: 2, Interval: Days(30)},
		},
		TargetRatePercent: 95,
	}
}

// DefaultWarningIndex is the warning index of a county that sets none.
func DefaultWarningIndex() WarningIndex {
	return WarningIndex{YellowFrom: 40, RedFrom: 70, ResolutionRateTargetPercent: 80, OverdueRedCount: 10}
}
