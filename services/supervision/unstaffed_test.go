package supervision_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/supervision"
)

// testUnstaffed: a mediation the room opened with no team (every mediator
// of its tier at the case limit) is on the county's unstaffed list until a
// team is assigned; another county's list does not show it.
func testUnstaffed(t *testing.T, h *harness) {
	const id = "D-UNSTAFFED"
	assigned := func(at time.Time, reason string, team ...events.TeamMember) events.Payload {
		return &events.MediatorsAssigned{Subject: subject(id, linxia), Handoff: events.Handoff{From: room, To: room},
			MediationID: id + ".r1.m1", Round: 1, Tier: 2, Team: team, Reason: reason, AssignedAt: at}
	}
	h.PublishRaw(t, registered(t, id, linxia, t0), servicetest.Message(t, "mediation-room", &events.MediationOpened{
		Subject: subject(id, linxia), Handoff: events.Handoff{From: centre, To: room}, MediationID: id + ".r1.m1",
		Round: 1, Tier: 2, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, OpenedAt: t0.Add(time.Minute),
	}, t0.Add(time.Minute)), servicetest.Message(t, "mediation-room", assigned(t0.Add(time.Minute), "no mediator with capacity"), t0.Add(time.Minute)))
	listed := func(want int) func() error {
		return func() error {
			var l struct {
				Mediations []struct {
					DisputeID string `json:"dispute_id"`
					Tier      int    `json:"tier"`
				} `json:"mediations"`
			}
			status, _, err := h.get(t, "/v1/counties/"+linxia+"/unstaffed", caller(linxia), &l)
			if err != nil || status != http.StatusOK {
				return fmt.Errorf("status %d: %v", status, err)
			}
			if len(l.Mediations) != want || (want == 1 && (l.Mediations[0].DisputeID != id || l.Mediations[0].Tier != 2)) {
				return fmt.Errorf("listed %+v, want %d", l.Mediations, want)
			}
			return nil
		}
	}
	testtime.EventuallyNil(t, wait, "the unstaffed mediation listed", listed(1))
	expectProblem(t, h, "/v1/counties/"+linxia+"/unstaffed", caller(jiuquan), http.StatusNotFound)
	staffed := assigned(t0.Add(time.Hour), "a mediator came free", events.TeamMember{MediatorID: "m-7", Role: "mediator", Agency: room.ID})
	h.PublishRaw(t, servicetest.Message(t, "mediation-room", staffed, t0.Add(time.Hour)))
	testtime.EventuallyNil(t, wait, "the staffed mediation off the list", listed(0))
}

// The figures supervision publishes to the operator count the open
// mediations no mediator could take, so the MediationCenter's status shows
// the shortfall.
func TestUnstaffedMediationsInTheFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	h := startWith(t, supervision.Options{FiguresEvery: 100 * time.Millisecond})
	const id = "D-WAITING"
	h.PublishRaw(t, registered(t, id, linxia, t0), servicetest.Message(t, "mediation-room", &events.MediationOpened{
		Subject: subject(id, linxia), Handoff: events.Handoff{From: centre, To: room}, MediationID: id + ".r1.m1",
		Round: 1, Tier: 2, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, OpenedAt: t0.Add(time.Minute),
	}, t0.Add(time.Minute)), servicetest.Message(t, "mediation-room", &events.MediatorsAssigned{Subject: subject(id, linxia),
		Handoff: events.Handoff{From: room, To: room}, MediationID: id + ".r1.m1", Round: 1, Tier: 2,
		Reason: "no mediator with capacity", AssignedAt: t0.Add(time.Minute)}, t0.Add(time.Minute)))
	testtime.EventuallyNil(t, wait, "Linxia's figures counting the unstaffed mediation", func() error {
		for _, m := range servicetest.ReadTopic(t, h.Stack.Brokers, policy.TopicCountyFigures, 1) {
			if f, err := policy.DecodeFigures(m.Value); err == nil && string(m.Key) == linxia && f.UnstaffedMediations == 1 {
				return nil
			}
		}
		return fmt.Errorf("no record of Linxia with one unstaffed mediation yet")
	})
}
