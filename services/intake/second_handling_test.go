package intake_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/intake"
)

// Second handling (二次处置): a dispute whose revisit came back
// stable is reopened for a new round when repeat reports reach the
// threshold (3 in 30 days at medium risk) within the window after its closure; a dispute
// closed long ago is not linked at all, and the report is a new dispute.
func TestRepeatReportsReopenARecentlyClosedDispute(t *testing.T) {
	t0 := time.Now().UTC().Truncate(time.Second)
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	at := func(days int) { clock.Store(t0.Add(time.Duration(days) * 24 * time.Hour).UnixNano()) }
	h := servicetest.Start(t, intake.NewWith(intake.Options{
		MatchKey: []byte("test-match-key"), Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() },
	}))
	officer := servicetest.Officer("622901")
	recent := register(t, h, registration(), http.StatusCreated)
	longAgo := register(t, h, elsewhereInTown("110-20261123-0050"), http.StatusCreated)

	// Revisits find both stable: one closed on the first day, one on day 35.
	h.Publish(t, stable(longAgo, t0), stable(recent, t0.Add(35*24*time.Hour)))
	h.Await(t, "both rounds are closed", func() bool {
		_, a := h.Do(t, "GET", "/v1/disputes/"+recent, nil, officer)
		_, b := h.Do(t, "GET", "/v1/disputes/"+longAgo, nil, officer)
		return a["closed_at"] != nil && b["closed_at"] != nil
	})

	// Day 36: the registration is out of the window, so one report is
	// below the threshold; the dispute closed 36 days ago takes no reports.
	at(36)
	register(t, h, repeatBySameParty("12345-0001"), http.StatusOK)
	if again := register(t, h, elsewhereInTown("110-20261229-0001"), http.StatusCreated); again == longAgo {
		t.Fatal("a dispute closed long ago took a repeat report")
	}
	// Day 40 and 41: the third report in 30 days (the MediationCenter's
	// default threshold for a medium-risk dispute) reopens it into round 2.
	at(40)
	register(t, h, repeatBySameParty("12345-0002"), http.StatusOK)
	at(41)
	register(t, h, repeatBySameParty("12345-0003"), http.StatusOK)
	_, d := h.Do(t, "GET", "/v1/disputes/"+recent, nil, officer)
	reopenings, _ := d["reopenings"].([]any)
	if d["round"] != float64(2) || d["status"] != "reopened" || d["closed_at"] != nil || d["risk_level"] != "high" ||
		len(reopenings) != 1 || reopenings[0].(map[string]any)["reason"] != "second handling: repeat reports" {
		t.Fatalf("the recently closed dispute %v", d)
	}
	_, old := h.Do(t, "GET", "/v1/disputes/"+longAgo, nil, officer)
	if old["round"] != float64(1) || len(old["reports"].([]any)) != 0 {
		t.Fatalf("the dispute closed long ago %v", old)
	}

	// Its events end with second handling, then the reopening of round 2.
	var types []string
	var reopened events.DisputeReopened
	h.Await(t, "the reopening is published", func() bool {
		evs := servicetest.Decoded(t, h.Read(t, events.TopicDisputes, 1)).Of(recent)
		types = evs.Types()
		if r := servicetest.Payloads[events.DisputeReopened](evs); len(r) > 0 {
			reopened = r[len(r)-1]
		}
		return len(types) > 0 && types[len(types)-1] == events.TypeDisputeReopened
	})
	if types[len(types)-2] != events.TypeDisputeSecondHandling || reopened.Round != 2 || reopened.CausedBy == "" {
		t.Fatalf("events %v, reopened %+v", types, reopened)
	}
}

func register(t *testing.T, h *servicetest.Harness, body map[string]any, want int) string {
	t.Helper()
	status, d := h.Do(t, "POST", "/v1/disputes", body, servicetest.Officer("622901"))
	if status != want {
		t.Fatalf("register: %d, want %d: %v", status, want, d)
	}
	return d["id"].(string)
}

// repeatBySameParty is a 12345 work order by the applicant of registration().
func repeatBySameParty(ref string) map[string]any {
	return report(func(r map[string]any) {
		r["channel"], r["external_ref"] = "hotline_12345", ref
		r["place"] = map[string]any{"township_code": "622901100"}
		r["parties"] = []map[string]any{{"role": "applicant", "name": "张三", "phone": "13812345678"}}
	})
}

// elsewhereInTown is a 110 alert by other people at another address.
func elsewhereInTown(ref string) map[string]any {
	return report(func(r map[string]any) {
		r["external_ref"] = ref
		r["place"] = map[string]any{"township_code": "622901200", "address": "南关路 7 号院"}
		r["parties"] = []map[string]any{{"role": "applicant", "name": "赵六", "phone": "13700000000"}}
	})
}

func stable(id string, at time.Time) *events.RevisitCompleted {
	return &events.RevisitCompleted{
		Subject: events.Subject{DisputeID: id, CountyCode: "622901"},
		Handoff: events.Handoff{
			From: events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-622901100"},
			To:   events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-chengbei"},
		},
		RevisitID: id + ".r1.v1", Round: 1, Outcome: events.RevisitStable, CompletedAt: at,
	}
}
