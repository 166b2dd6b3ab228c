package mediation

import (
	"fmt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// MoreUrgent reports whether risk a is more urgent than b.
func MoreUrgent(a, b events.RiskLevel) bool { return a.MoreUrgentThan(b) }

// RaiseRisk follows a dispute whose risk was raised while it is in
// mediation (repeat reports, second handling, an officer's override): the
// mediation takes the new level, so its tier deadline and joint-meeting
// triggers are those of the new level from now on, and a case below the
// tier the new level starts at (startTier, from the county's policy) moves
// straight up to it with a new room and team. A lower or equal risk, or a
// closed mediation, changes nothing.
func (m *Mediation) RaiseRisk(to events.RiskLevel, startTier policy.Tier, cause string, ctx Context) []events.Payload {
	if !m.IsOpen() || !to.MoreUrgentThan(m.RiskLevel) {
		return nil
	}
	from := m.RiskLevel
	m.RiskLevel = to
	if startTier >= policy.Tier(m.Tier) || !startTier.Valid() {
		return nil
	}
	reason := fmt.Sprintf("risk raised from %s to %s (%s)", from, to, cause)
	return m.Escalate(tiers.Decision{Escalate: true, From: policy.Tier(m.Tier), To: startTier, Trigger: tiers.TriggerRiskRaised, Reason: reason}, ctx)
}
