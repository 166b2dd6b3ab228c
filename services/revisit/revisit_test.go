package revisit_test

import (
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/revisit"
)

var (
	station     = events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	centre      = events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	room        = events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
	centreStaff = servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
)

func resolved(id, county string, c events.Category, risk events.RiskLevel, at time.Time) *events.MediationResolved {
	return &events.MediationResolved{
		Subject: events.Subject{DisputeID: id, CountyCode: county}, Handoff: events.Handoff{From: room, To: centre},
		MediationID: id + ".r1.m1", Round: 1, Category: c, RiskLevel: risk,
		Agreement: events.Agreement{TermCount: 1}, ResolvedAt: at,
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
	// d-1 is a high-risk family dispute (rebound-prone: two extra revisits
	// a month apart, the MediationCenter's default),
	// d-2 a low-risk labour dispute (no extra).
	h.Publish(t, resolved("d-1", "622901", events.CategoryMarriageFamily, events.RiskHigh, settled),
		resolved("d-2", "622901", events.CategoryLabour, events.RiskLow, settled))
	h.Publish(t, issued("d-1"), issued("d-2"))

	var r, extra map[string]any
	h.Await(t, "the revisits are scheduled and know their station", func() bool {
		_, r1 := h.Do(t, "GET", "/v1/revisits/d-1.r1.v1", nil, centreStaff)
		_, r2 := h.Do(t, "GET", "/v1/revisits/d-2.r1.v1", nil, centreStaff)
		_, extra = h.Do(t, "GET", "/v1/revisits/d-1.r1.v2", nil, centreStaff)
		_, second := h.Do(t, "GET", "/v1/revisits/d-1.r1.v3", nil, centreStaff)
		r = r1
		return r1["status"] == "scheduled" && r2["status"] == "scheduled" && extra["status"] == "scheduled" && second["status"] == "scheduled" &&
			police(r1) == "pcs-chengbei" && police(r2) == "pcs-chengbei" && police(extra) == "pcs-chengbei"
	})
	if r["channel"] != "home_visit" || r["due_by"] != "2026-12-04T09:00:00Z" || r["kind"] != "first" {
		t.Fatalf("high-risk revisit %v", r)
	}
	if extra["kind"] != "extra" || extra["due_by"] != "2027-01-03T09:00:00Z" {
		t.Fatalf("extra revisit of a family dispute %v", extra)
	}
	if status, _ := h.Do(t, "GET", "/v1/revisits/d-2.r1.v2", nil, centreStaff); status != http.StatusNotFound {
		t.Fatalf("a labour dispute got an extra revisit: %d", status)
	}
	// The queues follow a consumer's write a moment after it.
	h.Eventually(t, 10*time.Second, "four revisits due", func() bool {
		_, due := h.Do(t, "GET", "/v1/revisits", nil, centreStaff)
		return len(due["items"].([]any)) == 4
	})

	if status, p := h.Do(t, "POST", "/v1/revisits/d-1.r1.v1/result", map[string]any{"outcome": "rebound"}, centreStaff); status != http.StatusBadRequest {
		t.Fatalf("rebound without a note: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/revisits/d-1.r1.v1/result", map[string]any{"outcome": "stable", "satisfaction": "satisfied"}, centreStaff); status != http.StatusOK {
		t.Fatalf("stable: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/revisits/d-2.r1.v1/result", map[string]any{"outcome": "rebound", "note": "又吵起来了"}, centreStaff); status != http.StatusOK {
		t.Fatalf("rebound: %d %v", status, p)
	}
	if status, _ := h.Do(t, "POST", "/v1/revisits/d-2.r1.v1/result", map[string]any{"outcome": "stable"}, centreStaff); status != http.StatusConflict {
		t.Fatalf("recorded twice: %d", status)
	}

	completedTo := map[string]string{}
	for _, c := range completions(t, h, 2) {
		completedTo[string(c.Outcome)] = c.To.ID
	}
	if completedTo["stable"] != "plc-622901" || completedTo["rebound"] != "pcs-chengbei" {
		t.Fatalf("stable goes to the committee and a rebound to the police: %v", completedTo)
	}
}

func police(r map[string]any) any {
	p, _ := r["police"].(map[string]any)
	return p["id"]
}

func completions(t *testing.T, h *servicetest.Harness, n int) []events.RevisitCompleted {
	t.Helper()
	var out []events.RevisitCompleted
	h.Await(t, "revisit.completed events", func() bool {
		out = servicetest.Payloads[events.RevisitCompleted](servicetest.Decoded(t, h.Read(t, events.TopicRevisits, 1)))
		return len(out) >= n
	})
	return out
}

// The slip and the settlement reach the revisit service through different
// consumer groups, in either order; every revisit of the round, the extra
// one included, must end up knowing the station that follows the case.
func TestEveryRevisitOfTheRoundKnowsItsStationInEitherOrder(t *testing.T) {
	h := servicetest.Start(t, revisit.New)
	settled := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	stationOf := func(id string) any {
		_, r := h.Do(t, "GET", "/v1/revisits/"+id, nil, centreStaff)
		return police(r)
	}
	// d-3: the settlement is fully scheduled before the slip arrives.
	h.Publish(t, resolved("d-3", "622901", events.CategoryMarriageFamily, events.RiskHigh, settled))
	h.Await(t, "d-3's revisits are scheduled", func() bool {
		_, extra := h.Do(t, "GET", "/v1/revisits/d-3.r1.v2", nil, centreStaff)
		return extra["status"] == "scheduled"
	})
	h.Publish(t, issued("d-3"))
	// d-4: the slip is noted before the settlement arrives.
	h.Publish(t, issued("d-4"))
	h.Await(t, "d-4's slip is noted", func() bool { return stationOf("d-4.r1.v1") == "pcs-chengbei" })
	h.Publish(t, resolved("d-4", "622901", events.CategoryMarriageFamily, events.RiskHigh, settled))

	h.Await(t, "every revisit knows its station", func() bool {
		for _, id := range []string{"d-3.r1.v1", "d-3.r1.v2", "d-4.r1.v1", "d-4.r1.v2"} {
			if stationOf(id) != "pcs-chengbei" {
				return false
			}
		}
		return true
	})
}
