package matching

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// monday10 is a Monday at 10:00 China time: everyone is on duty.
var monday10 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func member(id string, role policy.MediatorRole, tier policy.Tier, township string, skills ...policy.Category) roster.Member {
	return roster.Member{ID: id, Agency: "a-" + id, Township: township, Role: role, Tier: tier, Skills: skills, Capacity: 4}
}

func TestPropose(t *testing.T) {
	n := policy.Neighbour
	village := func(id, township string, skills ...policy.Category) roster.Member {
		return member(id, policy.RolePeacemaker, policy.TierVillage, township, skills...)
	}
	for _, tc := range []struct {
		name      string
		members   []roster.Member
		stats     map[string]Stats
		excluded  map[string]string
		preferred []string
		want      []string // mediator IDs, best first
		reason    string   // a reason the first proposal must give
	}{
		{"skill wins over place", []roster.Member{village("A", "622901100"), village("B", "622901200", n)}, nil, nil, nil,
			[]string{"B", "A"}, "skilled in neighbour"},
		{"place breaks an equal skill", []roster.Member{village("A", "622901200", n), village("B", "622901100", n)}, nil, nil, nil,
			[]string{"B", "A"}, "serves township 622901100"},
		{"load balance: the less loaded first", []roster.Member{village("A", "622901100", n), village("B", "622901100", n)},
			map[string]Stats{"A": {Open: 3}, "B": {Open: 1}}, nil, nil, []string{"B", "A"}, "load 1/4"},
		{"equal load and score: by ID", []roster.Member{village("B", "622901100", n), village("A", "622901100", n)},
			map[string]Stats{"A": {Open: 2}, "B": {Open: 2}}, nil, nil, []string{"A", "B"}, "load 2/4"},
		{"at capacity: not proposed", []roster.Member{village("A", "622901100", n), village("B", "622901100", n)},
			map[string]Stats{"A": {Open: 4}}, nil, nil, []string{"B"}, ""},
		{"success record counts", []roster.Member{village("A", "622901100", n), village("B", "622901100", n)},
			map[string]Stats{"A": {Closed: 10, Resolved: 2}, "B": {Closed: 10, Resolved: 9}}, nil, nil, []string{"B", "A"}, "resolved 9 of 10 closed cases"},
		{"objection: excluded", []roster.Member{village("A", "622901100", n), village("B", "622901200")}, nil,
			map[string]string{"A": "conflict of interest"}, nil, []string{"B"}, ""},
		{"preferred outranks everything", []roster.Member{village("A", "622901100", n), village("B", "622901200")},
			map[string]Stats{"B": {Open: 3}}, nil, []string{"B"}, []string{"B", "A"}, "preferred by a party"},
		{"preferred but objected: not proposed", []roster.Member{village("A", "622901100", n), village("B", "622901100", n)}, nil,
			map[string]string{"B": "relative"}, []string{"B"}, []string{"A"}, ""},
		{"other tiers and roles left out", []roster.Member{village("A", "622901100", n),
			member("P", policy.RolePoliceOfficer, policy.TierVillage, "622901100", n), member("C", policy.RolePeacemaker, policy.TierStation, "", n)},
			nil, nil, nil, []string{"A"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Category: n, Tier: policy.TierVillage, Township: "622901100", Now: monday10, Members: tc.members,
				Stats: tc.stats, Excluded: tc.excluded, Preferred: tc.preferred}
			ps := Propose(req, policy.RolePeacemaker)
			var got []string
			for _, p := range ps {
				got = append(got, p.MediatorID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("proposed %v, want %v (%+v)", got, tc.want, ps)
			}
			if tc.reason != "" && !slices.Contains(ps[0].Reasons, tc.reason) {
				t.Fatalf("first proposal's reasons %q lack %q", ps[0].Reasons, tc.reason)
			}
		})
	}
}

func TestAssemble(t *testing.T) {
	n := policy.Neighbour
	station := []roster.Member{
		member("P1", policy.RolePoliceOfficer, policy.TierStation, "622901100", n),
		member("J1", policy.RolePeopleMediator, policy.TierStation, "622901100", n),
		member("J2", policy.RoleJudicialAssistant, policy.TierStation, "622901100", n),
		member("L1", policy.RoleLawyer, policy.TierStation, "", n),
	}
	for _, tc := range []struct {
		name      string
		tier      policy.Tier
		excluded  map[string]string
		preferred []string
		seats     map[string]string
		gaps      int
		note      string
	}{
		{"三所联调: police, judicial mediator, lawyer", policy.TierStation, nil, nil,
			map[string]string{SeatPolice: "P1", SeatMediator: "J1", SeatLawyer: "L1"}, 0, ""},
		{"objection replaces the mediator", policy.TierStation, map[string]string{"J1": "conflict of interest"}, nil,
			map[string]string{SeatPolice: "P1", SeatMediator: "J2", SeatLawyer: "L1"}, 0, ""},
		{"preference honoured", policy.TierStation, nil, []string{"J2"},
			map[string]string{SeatPolice: "P1", SeatMediator: "J2", SeatLawyer: "L1"}, 0, ""},
		{"no replacement: a gap", policy.TierStation, map[string]string{"L1": "prior involvement"}, nil,
			map[string]string{SeatPolice: "P1", SeatMediator: "J1"}, 1, ""},
		{"preferred mediator objected: the party hears why", policy.TierStation, map[string]string{"J2": "relative"}, []string{"J2"},
			map[string]string{SeatPolice: "P1", SeatMediator: "J1", SeatLawyer: "L1"}, 0, "objected to by a party"},
		{"nobody at tier 3", policy.TierVillage, nil, nil, map[string]string{}, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			team := Assemble(Request{Category: n, Tier: tc.tier, Township: "622901100", Now: monday10, Members: station,
				Excluded: tc.excluded, Preferred: tc.preferred})
			got := map[string]string{}
			for _, p := range team.Picks {
				got[p.Seat] = p.MediatorID
			}
			if len(got) != len(tc.seats) || len(team.Gaps) != tc.gaps {
				t.Fatalf("seats %v gaps %v, want %v and %d gaps", got, team.Gaps, tc.seats, tc.gaps)
			}
			for seat, id := range tc.seats {
				if got[seat] != id {
					t.Fatalf("seat %s: %s, want %s (%v)", seat, got[seat], id, got)
				}
			}
			if tc.note != "" && !strings.Contains(strings.Join(team.Notes, ";"), tc.note) {
				t.Fatalf("notes %q lack %q", team.Notes, tc.note)
			}
		})
	}
}

func TestLoadSpreadsOverTheRoster(t *testing.T) {
	r := roster.Default("622901")
	stats := map[string]Stats{}
	for range 4 {
		team := Assemble(Request{Category: policy.Neighbour, Tier: policy.TierVillage, Now: monday10, Members: r.Members, Stats: stats})
		s := stats[team.Picks[0].MediatorID]
		s.Open++
		stats[team.Picks[0].MediatorID] = s
	}
	if a, b := stats["622901-peacemaker-1"].Open, stats["622901-peacemaker-2"].Open; a != 2 || b != 2 {
		t.Fatalf("four cases went %d and %d, want 2 and 2", a, b)
	}
}
