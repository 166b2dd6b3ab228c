package mediation

import (
	"slices"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// A low-risk case with a village peacemaker becomes high risk after repeat
// reports: it moves straight up to the tier high risk starts at, with a new
// room and team, and keeps the new level for its deadlines.
func TestARaisedRiskMovesTheMediationUp(t *testing.T) {
	for _, tc := range []struct {
		name      string
		from, to  events.RiskLevel
		startTier policy.Tier
		closed    bool
		wantTier  int
		wantRisk  events.RiskLevel
		wantTypes []string
	}{
		{"low to high: straight to tier 1", events.RiskLow, events.RiskHigh, policy.TierStreet, false, 1, events.RiskHigh,
			[]string{events.TypeMediationEscalated, events.TypeMediatorsAssigned}},
		{"low to medium, the policy starting medium at the village", events.RiskLow, events.RiskMedium, policy.TierVillage, false, 3, events.RiskMedium, nil},
		{"high to low changes nothing", events.RiskHigh, events.RiskLow, policy.TierVillage, false, 1, events.RiskHigh, nil},
		{"a closed mediation changes nothing", events.RiskLow, events.RiskHigh, policy.TierStreet, true, 3, events.RiskLow, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := open(tc.from)
			if tc.closed {
				m.Status = StatusResolved
			}
			evs := m.RaiseRisk(tc.to, tc.startTier, "repeat reports", ctxAt(tc.to, openedAt))
			if m.Tier != tc.wantTier || m.RiskLevel != tc.wantRisk || !slices.Equal(typesOf(evs), tc.wantTypes) && len(evs)+len(tc.wantTypes) > 0 {
				t.Fatalf("tier %d, risk %s, events %v; want %d, %s, %v", m.Tier, m.RiskLevel, typesOf(evs), tc.wantTier, tc.wantRisk, tc.wantTypes)
			}
			if len(evs) > 0 {
				if esc := evs[0].(events.MediationEscalated); esc.Trigger != tiers.TriggerRiskRaised || esc.FromTier != 3 || esc.ToTier != 1 {
					t.Fatalf("escalation %+v", esc)
				}
			}
		})
	}
}

// A risk raised before the mediation opened opens it on the raised level,
// never on a calmer one.
func TestAReferralIsRaisedOnlyToAMoreUrgentRisk(t *testing.T) {
	for _, tc := range []struct {
		issued, raised, want events.RiskLevel
	}{
		{events.RiskLow, events.RiskHigh, events.RiskHigh},
		{events.RiskMedium, events.RiskHigh, events.RiskHigh},
		{events.RiskHigh, events.RiskLow, events.RiskHigh},
		{events.RiskMedium, events.RiskMedium, events.RiskMedium},
	} {
		r := Referral{DisputeID: "d-1", RiskLevel: tc.issued}
		if got := r.RaisedTo(tc.raised); got.RiskLevel != tc.want || got.DisputeID != "d-1" {
			t.Errorf("%s raised to %q: %+v; want %s", tc.issued, tc.raised, got, tc.want)
		}
	}
}
