package policy

// Escalation holds the escalation policy of each risk level.
type Escalation struct {
	High   RiskEscalation `json:"high"`
	Medium RiskEscalation `json:"medium"`
	Low    RiskEscalation `json:"low"`
	// MaxReturns bounds the returns (退单) of a copy before the county
	// centre owns it; nil: the service's default.
	MaxReturns *int `json:"maxReturns,omitempty"`
	// WarnAtPercent warns on an unsigned copy at these shares of its
	// signing time; empty: the service's default.
	WarnAtPercent []int `json:"warnAtPercent,omitempty"`
	// FailuresToEscalate failed sessions at a tier move a dispute up; 0:
	// the service's default.
	FailuresToEscalate int `json:"failuresToEscalate,omitempty"`
	// RepeatWindow is the window repeat reports are counted in; zero: the
	// service's default.
	RepeatWindow Duration `json:"repeatWindow,omitzero"`
	// JointSessionCategories go straight to the station's joint table
	// (三所联调) whatever tier their risk starts at.
	JointSessionCategories []Category `json:"jointSessionCategories,omitempty"`
	// RiskScoreHigh and RiskScoreMedium grade a dispute's risk from the
	// points of its facts; 0: the service's default.
	RiskScoreHigh   int `json:"riskScoreHigh,omitempty"`
	RiskScoreMedium int `json:"riskScoreMedium,omitempty"`
}

// JointSession reports whether the county sends category c straight to a
// joint session.
func (e Escalation) JointSession(c Category) bool {
	for _, jc := range e.JointSessionCategories {
		if jc == c {
			return true
		}
	}
	return false
}

// RiskEscalation is how disputes of one risk level are escalated.
type RiskEscalation struct {
	// AcceptanceDeadline is how long the responsible unit has to accept its copy.
	AcceptanceDeadline Duration `json:"acceptanceDeadline"`
	// ResolutionDeadline is how long it has to settle the dispute.
	ResolutionDeadline Duration `json:"resolutionDeadline"`
	// StartTier is the tier mediation starts at.
	StartTier Tier `json:"startTier"`
	// EscalateAfter is how long a dispute stays at a tier unresolved before it
	// goes one tier up.
	EscalateAfter Duration `json:"escalateAfter"`
	// JointMeetingAfter convenes a joint meeting (联席会议, "公安吹哨、部门到位")
	// for a dispute still open this long; zero means never on time alone.
	JointMeetingAfter Duration `json:"jointMeetingAfter"`
	// JointMeetingWhenTier1Fails convenes one when tier 1 could not settle it.
	JointMeetingWhenTier1Fails bool `json:"jointMeetingWhenTier1Fails"`
	// RepeatCallThreshold is the number of calls about the same parties or
	// place at which a dispute goes to second handling (二次处置).
	RepeatCallThreshold int `json:"repeatCallThreshold"`
}

// For returns the escalation of one risk level; an unknown level gets the
// most urgent one, so a grading mistake never slows a dispute down.
func (e Escalation) For(r RiskLevel) RiskEscalation {
	switch r {
	case RiskLow:
		return e.Low
	case RiskMedium:
		return e.Medium
	default:
		return e.High
	}
}

// RevisitPolicy is how settled disputes are revisited ("一事一回访").
type RevisitPolicy struct {
	// Deadline is the time within which the first revisit is due after
	// settlement (Qingdao: two weeks).
	Deadline Duration         `json:"deadline"`
	Channels []RevisitChannel `json:"channels"`
	// ReboundProne lists categories that get more revisits (Linxia: family,
	// neighbours, land contracts, debt, demolition).
	ReboundProne []ReboundRule `json:"reboundProne,omitempty"`
	// TargetRatePercent is the revisit rate the county is held to (Linxia: ≥95%).
	TargetRatePercent int `json:"targetRatePercent"`
}

// ReboundRule adds revisits for one rebound-prone category.
type ReboundRule struct {
	Category      Category `json:"category"`
	ExtraRevisits int      `json:"extraRevisits"`
	Interval      Duration `json:"interval"`
}

// WarningIndex holds the thresholds of the monthly red/yellow/blue area
// warning index (预警指数, Jiuquan). Supervision scores each
// township 0–100 each month; at or above RedFrom it is red, at or above
// YellowFrom yellow, else blue.
type WarningIndex struct {
	YellowFrom                  int `json:"yellowFrom"`
	RedFrom                     int `json:"redFrom"`
	ResolutionRateTargetPercent int `json:"resolutionRateTargetPercent"`
	OverdueRedCount             int `json:"overdueRedCount"`
}

// Colour returns the warning colour of a township's score.
func (w WarningIndex) Colour(score int) string {
	switch {
	case score >= w.RedFrom:
		return "red"
	case score >= w.YellowFrom:
		return "yellow"
	default:
		return "blue"
	}
}
