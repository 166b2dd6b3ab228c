package dispute

import (
	"fmt"

	"fengqiao.dev/api/events"
)

// RiskFacts are the facts intake grades on. Issue 5 adds repeat counts,
// duration and stage, with thresholds from the county's policy.
type RiskFacts struct {
	Category          events.Category
	ThreatsOfViolence bool
	VulnerableParties bool
	GroupSize         int
}

// categoryWeight: marriage and family is the top driver of civil-to-criminal
// escalation (民转刑, DOMAIN.md step 2); requisition/demolition and land
// disputes tend to involve groups and old grievances.
var categoryWeight = map[events.Category]int{
	events.CategoryMarriageFamily:        2,
	events.CategoryRequisitionDemolition: 2,
	events.CategoryLandForest:            1,
	events.CategoryLabour:                1,
	events.CategoryNeighbour:             1,
}

// Score thresholds of the default grading.
const (
	highFrom       = 4
	mediumFrom     = 2
	groupSizeAlarm = 5 // 群体性: five or more people
)

// Grade scores the facts and says why. The rule is additive so every point of
// the score has a reason an officer can read and dispute.
func Grade(f RiskFacts) (events.RiskLevel, []string) {
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
	if f.GroupSize >= groupSizeAlarm {
		add(2, fmt.Sprintf("group of %d people", f.GroupSize))
	}
	if f.VulnerableParties {
		add(1, "vulnerable parties")
	}
	switch {
	case score >= highFrom:
		return events.RiskHigh, reasons
	case score >= mediumFrom:
		return events.RiskMedium, reasons
	}
	return events.RiskLow, reasons
}
