package supervision_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
)

// testUnitNames: the room the event names only by its ID reads in the
// timeline by the name Linxia's policy gives it, looked up when the
// timeline is read, so a policy published after the event still names it.
func testUnitNames(t *testing.T, h *harness) {
	const id = "D-NAMED"
	h.PublishRaw(t, registered(t, id, linxia, t0), servicetest.Message(t, "mediation-room", &events.MediationOpened{
		Subject: subject(id, linxia), Handoff: events.Handoff{From: centre, To: room}, MediationID: id + ".r1.m1",
		Round: 1, Tier: 2, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow, OpenedAt: t0.Add(time.Minute),
	}, t0.Add(time.Minute)))
	opened := func(want string) func(timeline) error {
		return func(tl timeline) error {
			for _, hd := range tl.Handoffs {
				if hd.Type == events.TypeMediationOpened && strings.HasPrefix(hd.Note, want) {
					return nil
				}
			}
			return fmt.Errorf("no mediation opened by %s in %+v", want, tl.Handoffs)
		}
	}
	h.timelineOf(t, id, opened("调解室受理调解"))
	servicetest.PublishPolicy(t, h.Stack.Brokers, policy.CountyPolicy{
		SchemaVersion: policy.SchemaVersion, County: policy.County{Code: linxia, Name: "临夏市"}, Revision: 1,
		Rooms: []policy.Room{{ID: room.ID, Name: "城关人民调解室", Tier: policy.TierStation}},
	})
	h.timelineOf(t, id, opened("城关人民调解室受理调解"))
}
