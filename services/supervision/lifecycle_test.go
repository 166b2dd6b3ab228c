package supervision_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/testtime"
)

func subject(id, county string) events.Subject {
	return events.Subject{DisputeID: id, CountyCode: county}
}

func registered(t testing.TB, id, county string, at time.Time) messaging.Message {
	return servicetest.Message(t, "intake", &events.DisputeRegistered{
		Subject: subject(id, county), Handoff: events.Handoff{From: station, To: station}, CaseCode: "LX-2025-000042", Round: 1,
		Channel: events.ChannelAlert110, Place: events.Place{CountyCode: county}, Category: events.CategoryNeighbour,
		RiskLevel: events.RiskLow, Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}},
		GroupSize: 2, RegisteredAt: at,
	}, at)
}

// lifecycle is one dispute from registration to a stable revisit, in time
// order: the room opens on the slip, before the jurisdiction signs its copy.
func lifecycle(t testing.TB, id string) []messaging.Message { return lifecycleFrom(t, id, t0) }

// lifecycleFrom is lifecycle registered at t0.
func lifecycleFrom(t testing.TB, id string, t0 time.Time) []messaging.Message {
	s := subject(id, linxia)
	copies := []events.SlipCopy{}
	for _, c := range events.Copies() {
		copies = append(copies, events.SlipCopy{Copy: c, Recipient: centre, Topic: events.CountyCopyTopic(linxia, c), AcceptBy: t0.Add(time.Hour)})
	}
	return []messaging.Message{
		registered(t, id, linxia, t0),
		servicetest.Message(t, "referral", &events.ReferralIssued{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: id + ".r1", CaseCode: "LX-2025-000042", Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Copies: copies, IssuedAt: t0.Add(time.Minute)}, t0.Add(time.Minute)),
		servicetest.Message(t, "mediation-room", &events.MediationOpened{Subject: s, Handoff: events.Handoff{From: centre, To: room},
			MediationID: id + ".r1.m1", Round: 1, Tier: 3, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			OpenedAt: t0.Add(2 * time.Minute)}, t0.Add(2*time.Minute)),
		servicetest.Message(t, "referral", &events.ReferralCopyAccepted{Subject: s, Handoff: events.Handoff{From: station, To: centre},
			SlipID: id + ".r1", Round: 1, Copy: events.CopyJurisdiction, AcceptedBy: "staff-9@gc-622901001",
			AcceptedAt: t0.Add(10 * time.Minute), TimeToSignSeconds: 540}, t0.Add(10*time.Minute)),
		servicetest.Message(t, "mediation-room", &events.MediationResolved{Subject: s, Handoff: events.Handoff{From: room, To: centre},
			MediationID: id + ".r1.m1", Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskLow,
			Agreement: events.Agreement{TermCount: 1}, ResolvedAt: t0.Add(time.Hour)}, t0.Add(time.Hour)),
		servicetest.Message(t, "revisit", &events.RevisitScheduled{Subject: s, Handoff: events.Handoff{From: room, To: centre},
			RevisitID: id + ".r1.v1", Round: 1, Channel: events.RevisitPhone, DueBy: t0.Add(14 * 24 * time.Hour),
			ScheduledAt: t0.Add(time.Hour + time.Second)}, t0.Add(time.Hour+time.Second)),
		servicetest.Message(t, "revisit", &events.RevisitCompleted{Subject: s, Handoff: events.Handoff{From: centre, To: committee},
			RevisitID: id + ".r1.v1", Round: 1, Outcome: events.RevisitStable, CompletedAt: t0.Add(5 * 24 * time.Hour)}, t0.Add(5*24*time.Hour)),
	}
}

// testLifecycle delivers a lifecycle topic by topic, latest topic first and
// latest event first, so every event arrives before the ones it follows, and
// delivers the resolution twice. Each step waits for its last message: one
// dispute's messages on one topic share a partition and are handled in
// order, so the duplicate has been handled when the step is seen.
func testLifecycle(t *testing.T, h *harness) {
	const id = "dsp-lifecycle-1"
	life := lifecycle(t, id)
	h.PublishRaw(t, life[6], life[5]) // revisits
	h.timelineOf(t, id, handoffs(2, "closed"))
	h.PublishRaw(t, life[4], life[4], life[2]) // mediations, the resolution twice
	h.timelineOf(t, id, handoffs(4, "closed"))
	h.PublishRaw(t, life[3], life[1]) // referrals
	h.timelineOf(t, id, handoffs(6, "closed"))
	h.PublishRaw(t, life[0], registered(t, "dsp-lifecycle-2", linxia, t0), registered(t, "dsp-other-county", jiuquan, t0))

	tl := h.timelineOf(t, id, func(tl timeline) error {
		if err := handoffs(7, "closed")(tl); err != nil {
			return err
		}
		return sameIDs(eventIDs(tl), ids(life))
	})
	checkTimeline(t, tl, id)
	checkKPIs(t, h)
	checkAccess(t, h, id)
}

func checkTimeline(t *testing.T, tl timeline, id string) {
	t.Helper()
	if tl.DisputeID != id || tl.CaseCode != "LX-2025-000042" || tl.CountyCode != linxia || tl.Round != 1 {
		t.Fatalf("timeline header = %+v", tl)
	}
	wantTypes := []string{
		events.TypeDisputeRegistered, events.TypeReferralIssued, events.TypeMediationOpened, events.TypeReferralCopyAccepted,
		events.TypeMediationResolved, events.TypeRevisitScheduled, events.TypeRevisitCompleted,
	}
	wantTo := []events.Agency{station, centre, room, centre, centre, centre, committee}
	for i, hd := range tl.Handoffs {
		if hd.Type != wantTypes[i] || hd.To != wantTo[i] || hd.Round != 1 || hd.Note == "" || hd.From.ID == "" {
			t.Fatalf("handoff %d = %+v, want type %s to %v", i, hd, wantTypes[i], wantTo[i])
		}
		if i > 0 && hd.At.Before(tl.Handoffs[i-1].At) {
			t.Fatalf("handoff %d at %v is before handoff %d at %v", i, hd.At, i-1, tl.Handoffs[i-1].At)
		}
		wantCopy := events.Copy("")
		if i == 3 {
			wantCopy = events.CopyJurisdiction
		}
		if hd.Copy != wantCopy {
			t.Fatalf("handoff %d copy = %q, want %q", i, hd.Copy, wantCopy)
		}
	}
	if !tl.Handoffs[0].At.Equal(t0) || !tl.Handoffs[6].At.Equal(t0.Add(5*24*time.Hour)) {
		t.Fatalf("handoff times = %v … %v", tl.Handoffs[0].At, tl.Handoffs[6].At)
	}
}

// kpisOf polls a county's KPIs, asked by one of its own, until want accepts
// them: each dispute's registration is projected on its own partition.
func (h *harness) kpisOf(t *testing.T, county string, want func(kpis) error) kpis {
	t.Helper()
	var k kpis
	testtime.EventuallyNil(t, wait, county+"'s KPIs", func() error {
		k = kpis{}
		if status, _, err := h.get(t, "/v1/counties/"+county+"/kpis", caller(county), &k); err != nil || status != http.StatusOK {
			return fmt.Errorf("status %d: %v", status, err)
		}
		return want(k)
	})
	return k
}

func registeredIs(n int) func(kpis) error {
	return func(k kpis) error {
		if k.Registered != n {
			return fmt.Errorf("registered = %d, want %d", k.Registered, n)
		}
		return nil
	}
}

// checkKPIs: Linxia has the closed dispute and one only registered;
// Jiuquan's dispute is not counted. Resolution 1 of 2, revisit 1 of 1.
func checkKPIs(t *testing.T, h *harness) {
	t.Helper()
	before := time.Now().Add(-time.Second)
	k := h.kpisOf(t, linxia, registeredIs(2))
	wantStages := map[string]int{"registered": 1, "referred": 0, "accepted": 0, "in_mediation": 0, "resolved": 0,
		"failed": 0, "not_mediated": 0, "revisit_scheduled": 0, "closed": 1, "reopened": 0}
	if k.CountyCode != linxia || k.AsOf.Before(before) || fmt.Sprint(k.Stages) != fmt.Sprint(wantStages) ||
		k.ResolutionRate != (rate{0.5, 1, 2}) || k.RevisitRate != (rate{1, 1, 1}) {
		t.Fatalf("KPIs = %+v\nwant stages %v, resolution {0.5 1 2}, revisit {1 1 1}", k, wantStages)
	}
	// Jiuquan: one registered, nothing resolved, no revisit due (0 of 0).
	other := h.kpisOf(t, jiuquan, registeredIs(1))
	if other.CountyCode != jiuquan || other.ResolutionRate != (rate{0, 0, 1}) || other.RevisitRate != (rate{0, 0, 0}) {
		t.Fatalf("Jiuquan's KPIs = %+v", other)
	}
}

// checkAccess: a caller reads their own county only; every error is a
// problem document.
func checkAccess(t *testing.T, h *harness, id string) {
	t.Helper()
	expectProblem(t, h, "/v1/disputes/"+id+"/timeline", caller(jiuquan), http.StatusNotFound)
	expectProblem(t, h, "/v1/disputes/dsp-other-county/timeline", caller(linxia), http.StatusNotFound)
	expectProblem(t, h, "/v1/disputes/no-such-dispute/timeline", caller(linxia), http.StatusNotFound)
	expectProblem(t, h, "/v1/counties/"+linxia+"/kpis", caller(jiuquan), http.StatusNotFound) // another county's: as missing, never forbidden
	expectProblem(t, h, "/v1/counties/62290/kpis", caller(linxia), http.StatusBadRequest)
	expectProblem(t, h, "/v1/counties/"+linxia+"/kpis", http.Header{}, http.StatusUnauthorized)
}
