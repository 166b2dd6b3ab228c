package countypolicy

import (
	"fmt"
	"slices"

	"fengqiao.dev/api/policy"
)

// tierNames are for messages a duty officer reads.
var tierNames = map[policy.Tier]string{
	policy.TierStreet: "tier 1 (street/county centre)", policy.TierStation: "tier 2 (police station)",
	policy.TierVillage: "tier 3 (village)",
}

// Staffing judges whether every risk level and every tier a dispute can
// escalate through has a mediator with capacity, and whether high-risk
// disputes have someone on call. A gap does not stop publication: the
// services route around it, and the status says so: Staffed is
// false, with a reason, when a tier or risk level has nobody to take it.
func Staffing(p policy.CountyPolicy) policy.StaffingSummary {
	active := map[policy.Tier]int{}
	onCall := 0
	for _, m := range p.Mediators {
		if m.Capacity > 0 {
			active[m.Tier]++
			if m.OnCall && m.Tier <= p.Escalation.High.StartTier {
				onCall++
			}
		}
	}
	var s policy.StaffingSummary
	s.UnstaffedRiskLevels, s.Gaps = riskGaps(p.Escalation, active, onCall)
	s.UnstaffedTiers, s.Gaps = tierGaps(p.Escalation, active, s.Gaps)
	s.UnskilledCategories = unskilled(p)
	s.StationsWithoutCommunityOfficer = withoutCommunityOfficer(p)
	s.Staffed = len(s.Gaps) == 0
	return s
}

// withoutCommunityOfficer lists the police stations whose second handling
// falls back to their duty officer (policy.CountyPolicy.CommunityOfficer,
// the rule intake assigns by).
func withoutCommunityOfficer(p policy.CountyPolicy) []string {
	var out []string
	for _, a := range p.Agencies {
		if a.Kind != policy.PoliceStation {
			continue
		}
		if _, ok := p.CommunityOfficer(a.ID); !ok {
			out = append(out, a.ID)
		}
	}
	return out
}

func riskGaps(e policy.Escalation, active map[policy.Tier]int, onCall int) ([]policy.RiskLevel, []string) {
	var levels []policy.RiskLevel
	var gaps []string
	for _, r := range policy.RiskLevels() {
		if t := e.For(r).StartTier; active[t] == 0 {
			levels = append(levels, r)
			gaps = append(gaps, fmt.Sprintf("%s-risk disputes start at %s, which has no mediator with capacity", r, tierNames[t]))
		}
	}
	if onCall == 0 && !slices.Contains(levels, policy.RiskHigh) {
		levels = append(levels, policy.RiskHigh)
		gaps = append(gaps, "no on-call mediator for high-risk disputes at or above their start tier")
	}
	return levels, gaps
}

// tierGaps reports tiers on an escalation path (start tier up to tier 1)
// that nobody staffs, beyond those riskGaps already named.
func tierGaps(e policy.Escalation, active map[policy.Tier]int, gaps []string) ([]policy.Tier, []string) {
	var tiers []policy.Tier
	for _, t := range []policy.Tier{policy.TierStreet, policy.TierStation, policy.TierVillage} {
		if active[t] > 0 || !onPath(e, t) {
			continue
		}
		tiers = append(tiers, t)
		if !isStart(e, t) {
			gaps = append(gaps, fmt.Sprintf("disputes escalate through %s, which has no mediator with capacity", tierNames[t]))
		}
	}
	return tiers, gaps
}

func onPath(e policy.Escalation, t policy.Tier) bool {
	for _, r := range policy.RiskLevels() {
		if t <= e.For(r).StartTier {
			return true
		}
	}
	return false
}

func isStart(e policy.Escalation, t policy.Tier) bool {
	for _, r := range policy.RiskLevels() {
		if e.For(r).StartTier == t {
			return true
		}
	}
	return false
}

// unskilled lists routed categories that no mediator with capacity is
// skilled in: not a gap that stops a tier, but matching will fall back to
// any mediator of the tier.
func unskilled(p policy.CountyPolicy) []policy.Category {
	var out []policy.Category
	for _, r := range p.Routing {
		if slices.Contains(out, r.Category) || skilled(p.Mediators, r.Category) {
			continue
		}
		out = append(out, r.Category)
	}
	return out
}

func skilled(ms []policy.Mediator, c policy.Category) bool {
	for _, m := range ms {
		if m.Capacity > 0 && slices.Contains(m.Skills, c) {
			return true
		}
	}
	return false
}
