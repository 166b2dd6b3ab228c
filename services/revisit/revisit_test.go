package revisit_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/cloudevents"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/revisit"
)

var (
	station = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	centre  = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	room    = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
)

func resolved(id string, risk events.RiskLevel, at time.Time) *events.MediationResolved {
	return &events.MediationResolved{
		Subject: events.Subject{DisputeID: id, CountyCode: "622901"}, Handoff: events.Handoff{From: room, To: centre},
		MediationID: id + ".r1.m1", Round: 1, Category: events.CategoryMarriageFamily, RiskLevel: risk,
		Agreement: events.Agreement{Summary: "s", Terms: []string{"t"}}, ResolvedAt: at,
	}
}

func issued(id string) *events.ReferralIssued {
	now := time.Now().UTC()
	return &events.ReferralIssued{
		Subject: events.Subject{DisputeID: id, CountyCode: "622901"}, Handoff: events.Handoff{From: station, To: centre},
		SlipID: id + ".r1", CaseCode: "622901-2026-000009", Round: 1, Category: events.CategoryMarriageFamily, RiskLevel: events.RiskHigh,
		Place: events.Place{CountyCode: "622901"},
		Copies: []events.SlipCopy{
			{Copy: events.CopyCommittee, Recipient: events.Agency{Kind: events.AgencyCommittee, ID: "plc-622901"}, Topic: "t1", AcceptBy: now},
			{Copy: events.CopyJurisdiction, Recipient: centre, Topic: "t2", AcceptBy: now},
			{Copy: events.CopyPolice, Recipient: station, Topic: "t3", AcceptBy: now},
		},
		IssuedAt: now,
	}
}

func TestScheduleAndRecordRevisits(t *testing.T) {
	h := servicetest.Start(t, revisit.New)
	settled := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	// The settlement of d-1 arrives before its slip: either order works.
	h.Publish(t, resolved("d-1", events.RiskHigh, settled), resolved("d-2", events.RiskLow, settled))
	h.Publish(t, issued("d-1"), issued("d-2"))
	centreStaff := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")

	var r map[string]any
	h.Eventually(t, 30*time.Second, "both revisits are scheduled and know their station", func() bool {
		_, r1 := h.Do(t, "GET", "/v1/revisits/d-1.r1.v1", nil, centreStaff)
		_, r2 := h.Do(t, "GET", "/v1/revisits/d-2.r1.v1", nil, centreStaff)
		r = r1
		return r1["status"] == "scheduled" && r2["status"] == "scheduled" && police(r1) == "pcs-chengbei" && police(r2) == "pcs-chengbei"
	})
	if r["channel"] != "home_visit" || r["due_by"] != "2026-12-04T09:00:00Z" {
		t.Fatalf("high-risk revisit %v", r)
	}
	_, due := h.Do(t, "GET", "/v1/revisits", nil, centreStaff)
	if n := len(due["revisits"].([]any)); n != 2 {
		t.Fatalf("%d revisits due, want 2", n)
	}

	if status, p := h.Do(t, "POST", "/v1/revisits/d-1.r1.v1/result", map[string]any{"outcome": "rebound"}, centreStaff); status != http.StatusBadRequest {
		t.Fatalf("rebound without a note: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/revisits/d-1.r1.v1/result", map[string]any{"outcome": "stable"}, centreStaff); status != http.StatusOK {
		t.Fatalf("stable: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/revisits/d-2.r1.v1/result", map[string]any{"outcome": "rebound", "note": "又吵起来了"}, centreStaff); status != http.StatusOK {
		t.Fatalf("rebound: %d %v", status, p)
	}
	if status, _ := h.Do(t, "POST", "/v1/revisits/d-2.r1.v1/result", map[string]any{"outcome": "stable"}, centreStaff); status != http.StatusConflict {
		t.Fatalf("recorded twice: %d", status)
	}

	msgs := h.Read(t, events.TopicRevisits, 4)
	completedTo := map[string]string{}
	for _, m := range msgs {
		env, _ := cloudevents.Parse(m.Headers)
		if env.Type == events.TypeRevisitCompleted {
			var c events.RevisitCompleted
			if err := json.Unmarshal(m.Value, &c); err != nil {
				t.Fatal(err)
			}
			completedTo[string(c.Outcome)] = c.To.ID
		}
	}
	if completedTo["stable"] != "plc-622901" || completedTo["rebound"] != "pcs-chengbei" {
		t.Fatalf("stable goes to the committee and a rebound to the police: %v", completedTo)
	}
}

func police(r map[string]any) any {
	p, _ := r["police"].(map[string]any)
	return p["id"]
}
