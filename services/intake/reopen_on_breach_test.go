package intake_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

// The mediation room reports a missed term of the agreement with
// Reopens set; intake starts the dispute's next round. A performed term, or
// a later miss without Reopens, changes nothing.
func TestMissedAgreementTermReopens(t *testing.T) {
	h := servicetest.Start(t, intake.New)
	officer := servicetest.Officer("622901")
	status, d := h.Do(t, "POST", "/v1/disputes", registration(), officer, "Idempotency-Key", "breach-1")
	if status != http.StatusCreated {
		t.Fatalf("register: %d %v", status, d)
	}
	id := d["id"].(string)
	room := events.Agency{Kind: events.AgencyMediationRoom, ID: "room-622901100"}
	perf := func(term int, status string, reopens bool, to events.Agency) *events.MediationPerformanceRecorded {
		return &events.MediationPerformanceRecorded{Subject: events.Subject{DisputeID: id, CountyCode: "622901"},
			Handoff: events.Handoff{From: room, To: to}, MediationID: id + ".r1.m1", Round: 1, Term: term, Status: status,
			DueBy: time.Now().UTC(), Reopens: reopens, RecordedAt: time.Now().UTC()}
	}
	station := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"}
	centre := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"}
	h.Publish(t, perf(1, events.PerformancePerformed, false, centre), perf(2, events.PerformanceMissed, true, station), perf(3, events.PerformanceMissed, false, centre))
	h.Await(t, "the dispute is reopened", func() bool {
		_, d = h.Do(t, "GET", "/v1/disputes/"+id+"?purpose=handle_case", nil, officer)
		return d["round"] == float64(2) && d["status"] == "reopened"
	})
	reopenings := d["reopenings"].([]any)
	if len(reopenings) != 1 || !strings.Contains(reopenings[0].(map[string]any)["reason"].(string), "term 2") {
		t.Fatalf("reopenings %v", reopenings)
	}
}
