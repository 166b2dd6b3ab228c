package referral

import (
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

// Repeat reports raise a low-risk dispute to high after its slip was issued:
// the unsigned copies get the high-risk acceptance time (24 h on the wall
// clock) from their issue, the signed copy keeps its signature, and the
// sweep warns and escalates on the new deadline.
func TestARaisedRiskShortensTheUnsignedCopiesDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name       string
		from, to   events.RiskLevel
		changed    bool
		wantDueBy  time.Duration // the jurisdiction copy's deadline, after issue
		sweepAfter time.Duration
		wantSweep  []string
	}{
		{"low to high", events.RiskLow, events.RiskHigh, true, 24 * time.Hour, 25 * time.Hour,
			[]string{"jurisdiction:escalate:village>station", "police:escalate:station>street_centre"}},
		{"high to low is not lengthened", events.RiskHigh, events.RiskLow, false, 24 * time.Hour, 0, nil},
		{"unchanged", events.RiskMedium, events.RiskMedium, false, 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Issue(testCase(tc.from, "622901100"), DefaultRouter{}, termsOf(tc.from), issuedAt)
			if _, err := s.Accept(events.CopyCommittee, "c-1", issuedAt.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			before := s.copy(events.CopyJurisdiction).AcceptBy
			committee := s.copy(events.CopyCommittee).AcceptBy
			if got := s.RaiseRisk(tc.to, termsOf(tc.to), issuedAt.Add(2*time.Hour)); got != tc.changed {
				t.Fatalf("RaiseRisk = %v, want %v", got, tc.changed)
			}
			due := s.copy(events.CopyJurisdiction).AcceptBy
			if !tc.changed {
				if !due.Equal(before) || s.RiskLevel != tc.from {
					t.Fatalf("unchanged slip moved: %s → %s, risk %s", before, due, s.RiskLevel)
				}
				return
			}
			if !due.Equal(issuedAt.Add(tc.wantDueBy)) || s.RiskLevel != tc.to {
				t.Fatalf("jurisdiction due %s (risk %s), want %s", due, s.RiskLevel, issuedAt.Add(tc.wantDueBy))
			}
			if !s.copy(events.CopyCommittee).AcceptBy.Equal(committee) {
				t.Fatal("the signed copy's deadline moved")
			}
			if s.NextCheckAt == nil || s.NextCheckAt.After(due) {
				t.Fatalf("next check %v, want by %s", s.NextCheckAt, due)
			}
			got := sweepAt(&s, termsOf(tc.to), tc.sweepAfter)[0]
			if !equal(got, tc.wantSweep) {
				t.Fatalf("sweep at +%s raised %v, want %v", tc.sweepAfter, got, tc.wantSweep)
			}
		})
	}
}
