package mediation

import (
	"errors"
	"slices"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
)

// A joint meeting is a step a person takes ("公安吹哨、部门到位"), not only a
// side effect of the policy's triggers: the police station calls it with a
// reason and the departments it needs, once per case.
func TestAPersonConvenesTheJointMeeting(t *testing.T) {
	m := open(events.RiskMedium)
	ctx := ctxAt(events.RiskMedium, openedAt)
	if _, err := m.Convene(ConveneRequest{Reason: " "}, ctx); !errors.As(err, new(FieldError)) || m.JointMeeting != nil {
		t.Fatalf("without a reason: %v, meeting %v", err, m.JointMeeting)
	}
	evs, err := m.Convene(ConveneRequest{Reason: "涉及劳动监察，需要部门到场", Departments: []string{"labour-inspection"}}, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("events %v", typesOf(evs))
	}
	c := evs[0].(events.JointMeetingConvened)
	if !slices.Equal(c.Triggers, []string{jointmeeting.TriggerRequested}) || !slices.Equal(c.Departments, []string{"labour-inspection"}) ||
		c.To.ID != ctx.Committee.ID || c.From.ID != station.ID {
		t.Fatalf("convened %+v", c)
	}
	if m.JointMeeting.Reason != "涉及劳动监察，需要部门到场" {
		t.Fatalf("the reason is not kept: %+v", m.JointMeeting)
	}
	if _, err := m.Convene(ConveneRequest{Reason: "再开一次"}, ctx); !errors.Is(err, ErrConvened) {
		t.Fatalf("a second meeting: %v", err)
	}
	if _, err := m.Conclude([]Decision{{Decision: "劳动监察介入", Owner: "labour-inspection", DueBy: openedAt.AddDate(0, 0, 7)}}, ctx); err != nil {
		t.Fatalf("the requested meeting cannot conclude: %v", err)
	}
}
