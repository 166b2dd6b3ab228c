package roster

import (
	"fmt"

	"fengqiao.dev/api/policy"
)

// Default is the roster of a county that has published no policy: at each
// tier the staff the sources put in its room, skilled in every category, so
// matching always finds a team. Tier 3: village peacemakers (和事佬, "五老");
// tier 2: the station's 三所联调 room — a police officer, a judicial-office
// mediator (two, so an objection can be met) and a duty lawyer (Qingdao); tier 1: the street
// centre's people's mediators, a lawyer and a psychologist (Jiuquan's expert
// pool), on call because its cases are likely to turn criminal.
func Default(county string) Roster {
	all := policy.Categories()
	member := func(id string, agency string, role policy.MediatorRole, tier policy.Tier, onCall bool) Member {
		return Member{ID: fmt.Sprintf("%s-%s", county, id), Agency: fmt.Sprintf("%s-%s", agency, county), Role: role, Tier: tier,
			Skills: all, Capacity: 8, OnCall: onCall}
	}
	return Roster{County: county, Members: []Member{
		member("peacemaker-1", "mc-village", policy.RolePeacemaker, policy.TierVillage, false),
		member("peacemaker-2", "mc-village", policy.RolePeacemaker, policy.TierVillage, false),
		member("officer-1", "pcs", policy.RolePoliceOfficer, policy.TierStation, true),
		member("mediator-1", "jo", policy.RolePeopleMediator, policy.TierStation, false),
		member("assistant-1", "jo", policy.RoleJudicialAssistant, policy.TierStation, false),
		member("lawyer-1", "lf", policy.RoleLawyer, policy.TierStation, false),
		member("mediator-2", "pmc", policy.RolePeopleMediator, policy.TierStreet, true),
		member("lawyer-2", "lf", policy.RoleLawyer, policy.TierStreet, true),
		member("officer-2", "pcs", policy.RolePoliceOfficer, policy.TierStreet, true),
		member("psychologist-1", "pmc", policy.RolePsychologist, policy.TierStreet, false),
	}}
}
