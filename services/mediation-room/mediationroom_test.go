package mediationroom_test

import (
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	mediationroom "fengqiao.dev/services/mediation-room"
)

var (
	station = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	centre  = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
)

func issued(id string, risk events.RiskLevel) *events.ReferralIssued {
	now := time.Now().UTC()
	return &events.ReferralIssued{
		Subject: events.Subject{DisputeID: id, CountyCode: "622901"}, Handoff: events.Handoff{From: station, To: centre},
		SlipID: id + ".r1", CaseCode: "622901-2026-000001", Round: 1, Category: events.CategoryNeighbour, RiskLevel: risk,
		Place: events.Place{CountyCode: "622901", TownshipCode: "622901100"},
		Copies: []events.SlipCopy{
			{Copy: events.CopyCommittee, Recipient: events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, Topic: events.CountyCopyTopic("622901", events.CopyCommittee), AcceptBy: now},
			{Copy: events.CopyJurisdiction, Recipient: centre, Topic: events.CountyCopyTopic("622901", events.CopyJurisdiction), AcceptBy: now},
			{Copy: events.CopyPolice, Recipient: station, Topic: events.CountyCopyTopic("622901", events.CopyPolice), AcceptBy: now},
		},
		IssuedAt: now,
	}
}

func TestOpenOnReferralAndRecordOutcomes(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	// The harness checks every answer against the document: the readiness
	// probe's too, which takes no token.
	if status, ready := h.Do(t, "GET", "/readyz", nil, identity.Caller{}); status != http.StatusOK || ready["status"] != "ready" {
		t.Fatalf("readiness: %d %v", status, ready)
	}
	h.Publish(t, issued("d-1", events.RiskHigh), issued("d-2", events.RiskLow), issued("d-1", events.RiskHigh))
	mediator, villager := seated(t, h, "/v1/mediations/d-1.r1.m1", ""), seated(t, h, "/v1/mediations/d-2.r1.m1", "")
	_, m := h.Do(t, "GET", "/v1/mediations/d-1.r1.m1", nil, mediator)
	if m["tier"] != float64(1) || m["status"] != "open" {
		t.Fatalf("high-risk mediation %v", m)
	}

	for _, tc := range []struct {
		name   string
		id     string
		body   any
		caller identity.Caller
		status int
	}{
		{"resolution without terms", "d-1.r1.m1", map[string]any{"result": "resolved", "agreement": map[string]any{"summary": "s"}}, mediator, 400},
		{"unknown result", "d-1.r1.m1", map[string]any{"result": "postponed"}, mediator, 400},
		{"committee cannot record", "d-1.r1.m1", map[string]any{"result": "failed", "reason": "r"}, servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1"), 403},
		{"a mediator of the county not on its team", "d-1.r1.m1", map[string]any{"result": "failed", "reason": "r"}, villager, 404},
		{"another county", "d-1.r1.m1", map[string]any{"result": "failed", "reason": "r"}, servicetest.Caller("370202", "room-x", identity.RoleMediator, "M9"), 404},
		{"resolved", "d-1.r1.m1", map[string]any{"result": "resolved", "agreement": map[string]any{"summary": "院墙后退", "terms": []string{"12 月 1 日前拆除越界部分"}}}, mediator, 200},
		{"recorded twice", "d-1.r1.m1", map[string]any{"result": "failed", "reason": "r"}, mediator, 409},
		{"failed", "d-2.r1.m1", map[string]any{"result": "failed", "reason": "respondent refuses to attend"}, villager, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, p := h.Do(t, "POST", "/v1/mediations/"+tc.id+"/outcome", tc.body, tc.caller); status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, p)
			}
		})
	}
	// A mediator of the county reads only the mediations it is on: any
	// other is as missing as one that does not exist, in a dispute's list
	// too.
	if status, _ := h.Do(t, "GET", "/v1/mediations/d-1.r1.m1", nil, villager); status != http.StatusNotFound {
		t.Errorf("a mediator not on the team reads the mediation: %d, want 404", status)
	}
	for caller, want := range map[identity.Caller]int{mediator: 1, villager: 0} {
		if _, l := h.Do(t, "GET", "/v1/disputes/d-1/mediations", nil, caller); len(l["mediations"].([]any)) != want {
			t.Errorf("mediator %s lists %v of d-1, want %d", caller.Officer, l["mediations"], want)
		}
	}

	published := servicetest.Decoded(t, h.Read(t, events.TopicMediations, 6))
	if published.Count(events.TypeMediationOpened) != 2 || published.Count(events.TypeMediatorsAssigned) != 2 || published.Count(events.TypeMediationResolved) != 1 || published.Count(events.TypeMediationFailed) != 1 {
		t.Fatalf("mediation events %v", published.Types())
	}
}
