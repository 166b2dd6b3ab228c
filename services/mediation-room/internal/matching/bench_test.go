package matching

import (
	"fmt"
	"testing"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// BenchmarkAssemble matches a tier-2 team from a pool the size of Jiuquan's
// expert pool (282) with loads on every mediator.
func BenchmarkAssemble(b *testing.B) {
	roles := []policy.MediatorRole{policy.RolePoliceOfficer, policy.RolePeopleMediator, policy.RoleLawyer, policy.RoleJudicialAssistant, policy.RoleExpert, policy.RolePsychologist}
	var members []roster.Member
	stats := map[string]Stats{}
	for i := range 282 {
		id := fmt.Sprintf("M%03d", i)
		members = append(members, roster.Member{ID: id, Agency: "a", Township: fmt.Sprintf("622901%03d", i%12), Role: roles[(i/3)%len(roles)],
			Tier: policy.Tier(1 + i%3), Skills: policy.Categories()[i%15 : i%15+1], Capacity: 6})
		stats[id] = Stats{Open: i % 6, Closed: i % 20, Resolved: i % 15}
	}
	req := Request{Category: policy.Neighbour, Tier: policy.TierStation, Township: "622901001", Now: monday10, Members: members, Stats: stats}
	b.ReportAllocs()
	for b.Loop() {
		if team := Assemble(req); len(team.Picks) != 3 {
			b.Fatalf("team %+v", team)
		}
	}
}
