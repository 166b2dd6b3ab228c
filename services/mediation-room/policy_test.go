package mediationroom_test

import (
	"net/http"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// Rooms, rosters, start tiers and teams come from the county's published
// policy (svc.Policies()); a county without one runs on the defaults.
func TestRoomsAndTeamsFollowTheCountyPolicy(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	p := policy.CountyPolicy{SchemaVersion: policy.SchemaVersion, County: policy.County{Code: "622901"}, Revision: 1,
		Agencies: []policy.Agency{{ID: "pcs-chengbei", Kind: policy.PoliceStation, Township: "622901100"}, {ID: "court-lx", Kind: policy.Court}},
		Rooms:    []policy.Room{{ID: "r-chengbei", Name: "城北派出所三所联调室", Agency: "pcs-chengbei", Tier: policy.TierStation}},
		Mediators: []policy.Mediator{
			{ID: "P7", Agency: "pcs-chengbei", Role: policy.RolePoliceOfficer, Tier: policy.TierStation, Skills: []policy.Category{policy.Neighbour}, Capacity: 2, OnCall: true},
			{ID: "J7", Agency: "jo-1", Role: policy.RolePeopleMediator, Tier: policy.TierStation, Skills: []policy.Category{policy.Neighbour}, Capacity: 2},
			{ID: "L7", Agency: "lf-1", Role: policy.RoleLawyer, Tier: policy.TierStation, Skills: []policy.Category{policy.Contract}, Capacity: 2},
		},
		Escalation: policy.Escalation{Low: policy.RiskEscalation{StartTier: policy.TierStation, EscalateAfter: policy.Days(3)}},
	}
	value, err := policy.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	h.PublishRaw(t, messaging.Message{Topic: events.TopicPolicy, Key: []byte("622901"), Value: value})
	caller := linxiaCommittee
	h.Await(t, "the roster follows the policy", func() bool {
		_, r := h.Do(t, "GET", "/v1/rooms", nil, caller)
		return r["from_policy"] == true
	})
	if _, r := h.Do(t, "GET", "/v1/rooms", nil, servicetest.Caller("370202", "room-x", identity.RoleMediator, "M9")); r["from_policy"] != false || len(r["members"].([]any)) != 10 {
		t.Fatalf("a county without a policy: %v", r)
	}

	h.Publish(t, issued("d-30", events.RiskLow)) // the policy starts low risk at the station
	var m map[string]any
	h.Await(t, "the mediation is open", func() bool {
		status, got := h.Do(t, "GET", "/v1/mediations/d-30.r1.m1", nil, caller)
		m = got
		return status == http.StatusOK
	})
	if m["tier"] != float64(2) || m["room"].(map[string]any)["id"] != "r-chengbei" || seat(m, "police") != "P7" || seat(m, "lawyer") != "L7" {
		t.Fatalf("mediation under the policy %v", m)
	}
	_, props := h.Do(t, "GET", "/v1/mediations/d-30.r1.m1/proposals", nil, caller)
	lawyer := props["seats"].(map[string]any)["lawyer"].([]any)[0].(map[string]any)
	if reasons := lawyer["reasons"].([]any); len(reasons) == 0 || reasons[0] == "skilled in neighbour" {
		t.Fatalf("the lawyer is not skilled in neighbour disputes, and the reasons say so: %v", reasons)
	}
}

// Load balance across cases: with two equal peacemakers at the village, the
// second case goes to the one without a case.
func TestSecondCaseGoesToTheLessLoadedMediator(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	caller := linxiaCommittee
	lead := func(id string) string {
		h.Publish(t, issued(id, events.RiskLow))
		var m map[string]any
		h.Await(t, id+" is open", func() bool {
			status, got := h.Do(t, "GET", "/v1/mediations/"+id+".r1.m1", nil, caller)
			m = got
			return status == http.StatusOK
		})
		return seat(m, "lead")
	}
	if first, second := lead("d-40"), lead("d-41"); first == second || first == "" || second == "" {
		t.Fatalf("both cases went to %q / %q", first, second)
	}
}
