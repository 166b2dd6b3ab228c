package dispute

import (
	"slices"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

func TestGrade(t *testing.T) {
	for _, tc := range []struct {
		name    string
		facts   RiskFacts
		level   events.RiskLevel
		reasons []string
	}{
		{"plain consumer dispute", RiskFacts{Category: events.CategoryConsumer, GroupSize: 2}, events.RiskLow, []string{}},
		{"neighbours", RiskFacts{Category: events.CategoryNeighbour, GroupSize: 2}, events.RiskLow, []string{"+1 category neighbour"}},
		{"marriage and family", RiskFacts{Category: events.CategoryMarriageFamily, GroupSize: 2}, events.RiskMedium, []string{"+2 category marriage_family"}},
		{"threats alone", RiskFacts{Category: events.CategoryOther, ThreatsOfViolence: true}, events.RiskMedium, []string{"+3 threats of violence"}},
		{"family with threats (民转刑)", RiskFacts{Category: events.CategoryMarriageFamily, ThreatsOfViolence: true, GroupSize: 2},
			events.RiskHigh, []string{"+2 category marriage_family", "+3 threats of violence"}},
		{"group of five over wages", RiskFacts{Category: events.CategoryLabour, GroupSize: 5}, events.RiskMedium, []string{"+1 category labour", "+2 group of 5 people"}},
		{"group of four is not a group", RiskFacts{Category: events.CategoryLabour, GroupSize: 4}, events.RiskLow, []string{"+1 category labour"}},
		{"demolition group with vulnerable parties", RiskFacts{Category: events.CategoryRequisitionDemolition, GroupSize: 30, VulnerableParties: true},
			events.RiskHigh, []string{"+2 category requisition_demolition", "+2 group of 30 people", "+1 vulnerable parties"}},
		{"words only", RiskFacts{Category: events.CategoryConsumer, Stage: StageBrewing}, events.RiskLow, []string{}},
		{"neighbours came to blows", RiskFacts{Category: events.CategoryNeighbour, Stage: StagePhysical}, events.RiskHigh,
			[]string{"+1 category neighbour", "+3 stage physical"}},
		{"neighbours, reported twice", RiskFacts{Category: events.CategoryNeighbour, RepeatCount: 2}, events.RiskMedium,
			[]string{"+1 category neighbour", "+1 2 reports"}},
		{"repeat reports count at most 3", RiskFacts{Category: events.CategoryOther, RepeatCount: 9}, events.RiskMedium, []string{"+3 9 reports"}},
		{"a long-standing labour dispute", RiskFacts{Category: events.CategoryLabour, DurationDays: 120, Stage: StageIntensifying}, events.RiskMedium,
			[]string{"+1 category labour", "+1 stage intensifying", "+1 going on for 120 days"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			level, reasons := Grade(tc.facts)
			if level != tc.level || !slices.Equal(reasons, tc.reasons) {
				t.Fatalf("Grade() = %s %v, want %s %v", level, reasons, tc.level, tc.reasons)
			}
		})
	}
}

func TestGradeWithTheCountyThresholds(t *testing.T) {
	strict := Thresholds{High: 3, Medium: 1}
	for _, tc := range []struct {
		facts RiskFacts
		want  events.RiskLevel
	}{
		{RiskFacts{Category: events.CategoryNeighbour}, events.RiskMedium},
		{RiskFacts{Category: events.CategoryOther, ThreatsOfViolence: true}, events.RiskHigh},
		{RiskFacts{Category: events.CategoryConsumer}, events.RiskLow},
	} {
		if got, _ := GradeWith(tc.facts, strict); got != tc.want {
			t.Errorf("%+v graded %s, want %s", tc.facts, got, tc.want)
		}
	}
}

func TestReopen(t *testing.T) {
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-1"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}
	for _, tc := range []struct {
		name      string
		risk      events.RiskLevel
		round     int
		wantErr   error
		wantRisk  events.RiskLevel
		wantRound int
	}{
		{"low rebounds to medium", events.RiskLow, 1, nil, events.RiskMedium, 2},
		{"medium rebounds to high", events.RiskMedium, 1, nil, events.RiskHigh, 2},
		{"high stays high", events.RiskHigh, 1, nil, events.RiskHigh, 2},
		{"stale rebound of an earlier round", events.RiskLow, 0, ErrNotReopenable, events.RiskLow, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Dispute{ID: "d-1", CountyCode: "622901", Round: 1, RiskLevel: tc.risk, RecordedBy: station}
			ev, err := d.Reopen(Rebound{Round: tc.round, Reason: "又吵起来了", CausedBy: "d-1.r1.v1", From: centre})
			if err != tc.wantErr {
				t.Fatalf("Reopen() error = %v, want %v", err, tc.wantErr)
			}
			if d.Round != tc.wantRound || d.RiskLevel != tc.wantRisk {
				t.Fatalf("after Reopen: round %d risk %s, want %d %s", d.Round, d.RiskLevel, tc.wantRound, tc.wantRisk)
			}
			if err == nil && (ev.From != centre || ev.To != station || ev.Round != 2 || d.Status != StatusReopened) {
				t.Fatalf("unexpected event %+v", ev)
			}
		})
	}
}

// The county sets the points at which a dispute is graded medium and high;
// an unset or inverted pair keeps the defaults.
func TestThresholdsComeFromTheCountyPolicy(t *testing.T) {
	facts := RiskFacts{Category: events.CategoryNeighbour, Stage: StageIntensifying} // 2 points
	for _, tc := range []struct {
		name         string
		high, medium int
		want         events.RiskLevel
	}{
		{"unset: the defaults", 0, 0, events.RiskMedium},
		{"a stricter county", 2, 1, events.RiskHigh},
		{"a lenient county", 6, 3, events.RiskLow},
		{"inverted: the defaults", 2, 3, events.RiskMedium},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &policy.CountyPolicy{Escalation: policy.Escalation{RiskScoreHigh: tc.high, RiskScoreMedium: tc.medium}}
			if got, _ := GradeWith(facts, ThresholdsFor(p)); got != tc.want {
				t.Fatalf("graded %s, want %s", got, tc.want)
			}
		})
	}
}
