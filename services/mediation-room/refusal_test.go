package mediationroom_test

import (
	"net/http"
	"reflect"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// Refused mediation: the parties to a fight refuse mediation; the
// case goes to the police station's punishment procedure and counts as not
// mediated — never as a failed (lost) mediation.
func TestRefusalAfterAFightGoesToThePunishmentProcedure(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	h.Publish(t, issued("d-20", events.RiskMedium))
	officer := servicetest.Caller("622901", "pcs-chengbei", identity.RoleOfficer, "A1024")
	path := "/v1/mediations/d-20.r1.m1"
	h.Await(t, "the mediation is open", func() bool {
		status, _ := h.Do(t, "GET", path, nil, officer)
		return status == http.StatusOK
	})

	noFight := map[string]any{"result": "punishment_procedure", "reason": "拒绝调解", "refused_by": []string{"respondent"}}
	if status, p := h.Do(t, "POST", path+"/outcome", noFight, officer); status != http.StatusBadRequest {
		t.Fatalf("punishment without a fight: %d %v", status, p)
	}
	if _, m := h.Do(t, "GET", path, nil, officer); m["status"] != "open" {
		t.Fatalf("a rejected request changed the mediation: %v", m)
	}
	m := post(t, h, path+"/outcome", map[string]any{"result": "punishment_procedure", "reason": "双方斗殴后均拒绝调解",
		"fight": true, "refused_by": []string{"applicant", "respondent"}}, officer)
	if m["status"] != "not_mediated" {
		t.Fatalf("status %v, want not_mediated", m["status"])
	}

	evs := h.AwaitEvents(t, events.TopicMediations, "d-20", 3)
	handed := evs[len(evs)-1].Payload.(*events.MediationHandedOff)
	if handed.Route != events.RoutePunishment || handed.CountsAs != events.CountsNotMediated || handed.To.ID != "pcs-chengbei" || handed.To.Kind != events.AgencyPoliceStation {
		t.Fatalf("hand-off %+v", handed)
	}
	if n := evs.Count(events.TypeMediationFailed); n != 0 {
		t.Fatalf("%d mediation.failed events: a refusal is not a lost mediation", n)
	}
	assertHandoffs(t, evs)
}

// assertHandoffs: every event names the agencies it is from and to.
func assertHandoffs(t *testing.T, evs []servicetest.Published) {
	t.Helper()
	for _, e := range evs {
		h := reflect.Indirect(reflect.ValueOf(e.Payload)).FieldByName("Handoff").Interface().(events.Handoff)
		if h.From.ID == "" || h.From.Kind == "" || h.To.ID == "" || h.To.Kind == "" {
			t.Errorf("%s without its handoff: %+v", e.Type, h)
		}
	}
}
