package casefile

import (
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// Repeat reports raise a medium-risk dispute to high after its registration:
// the case file takes the new level, so the dispute is judged on the
// high-risk resolution deadline, and the timeline says why.
func TestARaisedRiskMovesTheResolutionDeadline(t *testing.T) {
	raised := ev("R", &events.DisputeRiskRegraded{Subject: subject("R"), Handoff: events.Handoff{From: station, To: station},
		Round: 1, Cause: "new_fact", PreviousRisk: events.RiskMedium, RiskLevel: events.RiskHigh, ComputedRisk: events.RiskHigh, RegradedAt: at(60)}, 1, "")
	second := ev("S", &events.DisputeSecondHandling{Subject: subject("S"), Handoff: events.Handoff{From: station, To: station},
		Round: 1, ReportCount: 3, Threshold: 3, WindowDays: 30, PreviousRisk: events.RiskMedium, RiskLevel: events.RiskHigh,
		CommunityOfficer: "duty-officer@pcs-622901-01", StaffingGap: "no community officer of pcs-622901-01 on the county's roster", TriggeredAt: at(60)}, 1, "")
	day := 24 * time.Hour
	for _, tc := range []struct {
		name  string
		file  CaseFile
		risk  events.RiskLevel
		after time.Duration // the resolution deadline after the slip
	}{
		{"as registered", fileOf(t, registered("M", 0), issued("M", 1, 1), opened("M", 1, 2)), events.RiskMedium, 15 * day},
		{"regraded", fileOf(t, registered("R", 0), issued("R", 1, 1), opened("R", 1, 2), raised), events.RiskHigh, 3 * day},
		{"second handling", fileOf(t, registered("S", 0), issued("S", 1, 1), opened("S", 1, 2), second), events.RiskHigh, 3 * day},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file.RiskLevel != tc.risk {
				t.Fatalf("risk %s, want %s", tc.file.RiskLevel, tc.risk)
			}
			if got, want := DefaultTargets().ResolveBy(tc.file), at(1).Add(tc.after); !got.Equal(want) {
				t.Fatalf("resolve by %s, want %s", got, want)
			}
			if last := tc.file.Timeline[len(tc.file.Timeline)-1]; last.Type == events.TypeDisputeSecondHandling && !strings.Contains(last.Note, "力量缺口：辖区无社区民警在册") {
				t.Fatalf("the committee does not see the staffing gap: %q", last.Note)
			}
		})
	}
}
