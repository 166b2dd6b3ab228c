package countypolicy

import (
	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
)

// Derive returns the effective policy of mc: every default applied, every
// reference resolved into plain IDs, hashed. source names where mc came from
// (namespace/name or a file); revision is its generation.
func Derive(mc *v1alpha1.MediationCenter, source string) policy.CountyPolicy {
	s := mc.Spec
	p := policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion,
		County:        policy.County{Code: s.County.Code, Name: s.County.Name},
		Revision:      mc.Generation,
		Source:        source,
		Jurisdiction:  jurisdiction(s.Jurisdiction),
		Agencies:      agencies(s.Agencies),
		Rooms:         rooms(s.Rooms),
		Mediators:     mediators(s.Mediators),
		Routing:       routing(s.Routing),
		Escalation:    escalation(s.Escalation),
		Revisit:       revisit(s.Revisit),
		WarningIndex:  warningIndex(s.WarningIndex),
		Topics:        Topics(s.County.Code),
		Calendar:      calendar(s.Calendar),
		Categories:    categoryOverride(s.Categories),
	}
	p.Staffing = Staffing(p)
	p.Hash = Hash(p)
	return p
}

// Topics names the county's copy topics (api/events owns the names).
func Topics(code string) policy.CountyTopics {
	return policy.CountyTopics{
		Committee:    events.CountyCopyTopic(code, events.CopyCommittee),
		Jurisdiction: events.CountyCopyTopic(code, events.CopyJurisdiction),
		Police:       events.CountyCopyTopic(code, events.CopyPolice),
	}
}

func jurisdiction(in []v1alpha1.Township) []policy.Township {
	out := make([]policy.Township, 0, len(in))
	for _, t := range in {
		pt := policy.Township{ID: string(t.ID), Code: t.Code, Name: t.Name, Kind: or(t.Kind, "town")}
		for _, v := range t.Villages {
			pv := policy.Village{ID: string(v.ID), Code: v.Code, Name: v.Name, Kind: or(v.Kind, "village")}
			for _, g := range v.Grids {
				pv.Grids = append(pv.Grids, policy.Grid{ID: string(g.ID), Name: g.Name})
			}
			pt.Villages = append(pt.Villages, pv)
		}
		out = append(out, pt)
	}
	return out
}

func agencies(in []v1alpha1.Agency) []policy.Agency {
	out := make([]policy.Agency, 0, len(in))
	for _, a := range in {
		out = append(out, policy.Agency{
			ID: string(a.ID), Name: a.Name, Kind: policy.AgencyKind(a.Kind), Township: string(a.Township),
		})
	}
	return out
}

func rooms(in []v1alpha1.Room) []policy.Room {
	var out []policy.Room
	for _, r := range in {
		out = append(out, policy.Room{
			ID: string(r.ID), Name: r.Name, Agency: string(r.Agency),
			Tier: policy.Tier(r.Tier), JointAgencies: ids(r.JointAgencies),
		})
	}
	return out
}

func mediators(in []v1alpha1.Mediator) []policy.Mediator {
	var out []policy.Mediator
	for _, m := range in {
		out = append(out, policy.Mediator{
			ID: string(m.ID), Agency: string(m.Agency), Role: policy.MediatorRole(m.Role),
			Tier: policy.Tier(m.Tier), Skills: categories(m.Skills), Capacity: capacity(m.Capacity),
			OnCall: m.OnCall, Room: string(m.Room), Shifts: shifts(m.Shifts),
		})
	}
	return out
}

func routing(in []v1alpha1.RoutingRule) []policy.RoutingRule {
	out := make([]policy.RoutingRule, 0, len(in))
	for _, r := range in {
		out = append(out, policy.RoutingRule{
			Category: policy.Category(r.Category), Township: string(r.Township), Agency: string(r.Agency),
		})
	}
	return out
}

// calendar copies the county's own days, which the services lay on top of
// the national calendar; nil when it has none, so the hash of a policy
// without a calendar is what it was before the field existed.
func calendar(in *v1alpha1.Calendar) *policy.Calendar {
	if in == nil {
		return nil
	}
	return &policy.Calendar{Holidays: dates(in.Holidays), Workdays: dates(in.Workdays)}
}

func dates(in []v1alpha1.CalendarDate) []string {
	var out []string
	for _, d := range in {
		out = append(out, string(d))
	}
	return out
}

func ids(in []v1alpha1.ID) []string {
	var out []string
	for _, id := range in {
		out = append(out, string(id))
	}
	return out
}

func categories(in []v1alpha1.Category) []policy.Category {
	out := make([]policy.Category, 0, len(in))
	for _, c := range in {
		out = append(out, policy.Category(c))
	}
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func shifts(in []v1alpha1.Shift) []policy.Shift {
	var out []policy.Shift
	for _, sh := range in {
		days := make([]string, len(sh.Days))
		for i, d := range sh.Days {
			days[i] = string(d)
		}
		out = append(out, policy.Shift{Days: days, From: string(sh.From), To: string(sh.To)})
	}
	return out
}

// categoryOverride copies the county's own category levels; nil when it
// has none, so the hash of a policy without them is what it was before the
// field existed.
func categoryOverride(in *v1alpha1.CategoryOverride) *policy.CategoryOverride {
	if in == nil {
		return nil
	}
	out := &policy.CategoryOverride{Version: in.Version, Children: map[policy.Category][]policy.CategoryNode{}}
	for _, sub := range in.Subcategories {
		var nodes []policy.CategoryNode
		for _, n := range sub.Children {
			node := policy.CategoryNode{Code: string(n.Code), Label: n.Label}
			for _, leaf := range n.Children {
				node.Children = append(node.Children, policy.CategoryNode{Code: string(leaf.Code), Label: leaf.Label})
			}
			nodes = append(nodes, node)
		}
		out.Children[policy.Category(sub.Category)] = nodes
	}
	return out
}
