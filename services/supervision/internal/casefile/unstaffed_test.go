package casefile

import (
	"slices"
	"testing"
	"time"

	"fengqiao.dev/api/events"
)

func (b *builder) assigned(at time.Time, tier int, team ...events.TeamMember) *builder {
	return b.add(&events.MediatorsAssigned{Subject: subject(b.id), Handoff: events.Handoff{From: room, To: room},
		MediationID: b.id + ".m", Round: b.round, Tier: tier, Team: team, AssignedAt: at})
}

// A mediation whose latest assignment left a seat empty is listed while the
// dispute is open; a later full team or a settlement takes it off.
func TestUnstaffedMediations(t *testing.T) {
	mediator := events.TeamMember{MediatorID: "m-1"}
	for _, tc := range []struct {
		name string
		b    *builder
		want bool
	}{
		{"opened with no team", dispute("A", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).
			assigned(cst(3, 2, 10, 0), 2), true},
		{"opened with a team", dispute("B", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).
			assigned(cst(3, 2, 10, 0), 2, mediator), false},
		{"staffed after waiting", dispute("C", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).
			assigned(cst(3, 2, 10, 0), 2).assigned(cst(3, 3, 10, 0), 2, mediator), false},
		{"settled without a team", dispute("D", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 3).
			assigned(cst(3, 2, 10, 0), 3).settled(cst(3, 4, 10, 0)), false},
		{"never assigned", dispute("E", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := UnstaffedMediations(files(tc.b))
			if listed := len(got) == 1; listed != tc.want {
				t.Fatalf("listed = %v, want %v: %+v", listed, tc.want, got)
			}
			if CountUnstaffed(files(tc.b)) != len(got) {
				t.Errorf("the count disagrees with the list")
			}
			if tc.want && (got[0].Tier != 2 || got[0].CaseCode != "C-A" || got[0].Room != room || !got[0].Since.Equal(cst(3, 2, 10, 0))) {
				t.Errorf("listed %+v", got[0])
			}
		})
	}
	later := dispute("L", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 5, 10, 0), 1).assigned(cst(3, 5, 10, 0), 1)
	earlier := dispute("A", "t1", events.RiskLow).registered(cst(3, 2, 9, 0)).opened(cst(3, 2, 10, 0), 2).assigned(cst(3, 2, 10, 0), 2)
	list := UnstaffedMediations(files(later, earlier))
	if ids := []string{list[0].DisputeID, list[1].DisputeID}; !slices.Equal(ids, []string{"A", "L"}) {
		t.Errorf("listed %v, want the longest waiting first", ids)
	}
}
