package dispute

import (
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Stage is how far a dispute has gone, one of the facts risk is graded on.
type Stage string

// Stages, from the mildest.
const (
	StageBrewing      Stage = "brewing"      // 萌芽: words only
	StageIntensifying Stage = "intensifying" // 激化: repeated clashes, threats to "settle it"
	StagePhysical     Stage = "physical"     // 肢体冲突: pushing, damage to property
)

// Valid reports whether s is empty (not known) or one of the stages.
func (s Stage) Valid() bool {
	return s == "" || s == StageBrewing || s == StageIntensifying || s == StagePhysical
}

// RiskFacts are the facts intake grades on (docs/domain.md, step 2).
type RiskFacts struct {
	Category          events.Category
	ThreatsOfViolence bool
	VulnerableParties bool
	GroupSize         int
	RepeatCount       int // reports within the repeat window, the first included
	DurationDays      int // how long the dispute has been going on
	Stage             Stage
}

// Thresholds turn a score into a level: the county's
// (Escalation.RiskScoreHigh and RiskScoreMedium), else DefaultThresholds.
type Thresholds struct{ High, Medium int }

// DefaultThresholds are the MediationCenter's (api/policy): 4 points and
// up is high, 2 and up medium.
var DefaultThresholds = Thresholds{High: policy.DefaultEscalation().RiskScoreHigh, Medium: policy.DefaultEscalation().RiskScoreMedium}

// categoryWeight: marriage and family is the top driver of civil-to-criminal
// escalation (民转刑, docs/domain.md, step 2); requisition/demolition and land
// disputes tend to involve groups and old grievances.
var categoryWeight = map[events.Category]int{
	events.CategoryMarriageFamily:        2,
	events.CategoryRequisitionDemolition: 2,
	events.CategoryLandForest:            1,
	events.CategoryLabour:                1,
	events.CategoryNeighbour:             1,
}

// stageWeight: a dispute that has come to blows is the 民转刑 risk itself.
var stageWeight = map[Stage]int{StageIntensifying: 1, StagePhysical: 3}

const groupSizeAlarm = 5 // 群体性: five or more people

// ThresholdsFor reads a county's thresholds from its policy (nil: none); a
// pair that is unset or out of order keeps the defaults.
func ThresholdsFor(p *policy.CountyPolicy) Thresholds {
	if p == nil || p.Escalation.RiskScoreHigh <= 0 || p.Escalation.RiskScoreMedium <= 0 ||
		p.Escalation.RiskScoreMedium >= p.Escalation.RiskScoreHigh {
		return DefaultThresholds
	}
	return Thresholds{High: p.Escalation.RiskScoreHigh, Medium: p.Escalation.RiskScoreMedium}
}

// Grade scores the facts on the default thresholds and says why.
func Grade(f RiskFacts) (events.RiskLevel, []string) { return GradeWith(f, DefaultThresholds) }

// GradeWith scores the facts and says why. The rule is additive so every
// point of the score has a reason an officer can read and dispute.
func GradeWith(f RiskFacts, th Thresholds) (events.RiskLevel, []string) {
	score, reasons := 0, []string{}
	add := func(points int, why string) {
		score += points
		reasons = append(reasons, fmt.Sprintf("+%d %s", points, why))
	}
	if w := categoryWeight[f.Category]; w > 0 {
		add(w, "category "+string(f.Category))
	}
	if f.ThreatsOfViolence {
		add(3, "threats of violence")
	}
	if w := stageWeight[f.Stage]; w > 0 {
		add(w, "stage "+string(f.Stage))
	}
	if f.GroupSize >= groupSizeAlarm {
		add(2, fmt.Sprintf("group of %d people", f.GroupSize))
	}
	if f.VulnerableParties {
		add(1, "vulnerable parties")
	}
	if f.RepeatCount >= 2 {
		add(min(f.RepeatCount-1, 3), fmt.Sprintf("%d reports", f.RepeatCount))
	}
	if f.DurationDays >= 90 {
		add(1, fmt.Sprintf("going on for %d days", f.DurationDays))
	}
	switch {
	case score >= th.High:
		return events.RiskHigh, reasons
	case score >= th.Medium:
		return events.RiskMedium, reasons
	}
	return events.RiskLow, reasons
}
