package supervision_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/supervision"
)

var cstZone = time.FixedZone("CST", 8*60*60)

func cst(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, cstZone)
}

// ledgerEvents are three disputes of Linxia as the ledger of 20 November
// 2026 sees them (the same as the casefile ledger test):
// L1 copy due today at gc-1, settlement overdue; L2 settled today by gc-1
// (S7); L3 revisit overdue at gc-2 (S9).
func ledgerEvents(t *testing.T) []messaging.Message {
	place := events.Place{CountyCode: linxia, TownshipCode: "622901100", VillageCode: "622901100001", Grid: "G1"}
	gc1, gc2 := events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-1"}, events.Agency{Kind: events.AgencyGovernanceCentre, ID: "gc-2"}
	reg := func(id string, risk events.RiskLevel, at time.Time) messaging.Message {
		return servicetest.Message(t, "intake", &events.DisputeRegistered{Subject: subject(id, linxia), Handoff: events.Handoff{From: station, To: station},
			CaseCode: "C-" + id, Round: 1, Channel: events.ChannelAlert110, Place: place, Category: events.CategoryNeighbour, RiskLevel: risk,
			Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}}, RegisteredAt: at}, at)
	}
	issue := func(id string, to events.Agency, risk events.RiskLevel, at time.Time, copies ...events.SlipCopy) messaging.Message {
		return servicetest.Message(t, "referral", &events.ReferralIssued{Subject: subject(id, linxia), Handoff: events.Handoff{From: station, To: to},
			SlipID: id + ".r1", CaseCode: "C-" + id, Round: 1, Category: events.CategoryNeighbour, RiskLevel: risk, Place: place,
			Copies: append([]events.SlipCopy{}, copies...), IssuedAt: at}, at)
	}
	sign := func(id string, to events.Agency, officer string, at time.Time) messaging.Message {
		return servicetest.Message(t, "referral", &events.ReferralCopyAccepted{Subject: subject(id, linxia), Handoff: events.Handoff{From: station, To: to},
			SlipID: id + ".r1", Round: 1, Copy: events.CopyJurisdiction, AcceptedBy: officer, AcceptedAt: at, TimeToSignSeconds: 3600}, at)
	}
	settle := func(id string, at time.Time) messaging.Message {
		return servicetest.Message(t, "mediation-room", &events.MediationResolved{Subject: subject(id, linxia), Handoff: events.Handoff{From: room, To: centre},
			MediationID: id + ".r1.m1", Round: 1, Category: events.CategoryNeighbour, RiskLevel: events.RiskMedium,
			Agreement: events.Agreement{}, ResolvedAt: at}, at)
	}
	revisit := func(id string, to events.Agency, at, due time.Time) messaging.Message {
		return servicetest.Message(t, "revisit", &events.RevisitScheduled{Subject: subject(id, linxia), Handoff: events.Handoff{From: room, To: to},
			RevisitID: id + ".r1.v1", Round: 1, Channel: events.RevisitPhone, DueBy: due, ScheduledAt: at}, at)
	}
	copyDue := events.SlipCopy{Copy: events.CopyJurisdiction, Recipient: gc1, Topic: "t", AcceptBy: cst(11, 20, 12)}
	return []messaging.Message{
		reg("L1", events.RiskHigh, cst(11, 10, 10)), issue("L1", gc1, events.RiskHigh, cst(11, 10, 10), copyDue),
		reg("L2", events.RiskMedium, cst(11, 1, 10)), issue("L2", gc1, events.RiskMedium, cst(11, 1, 10)), sign("L2", gc1, "S7", cst(11, 1, 11)),
		settle("L2", cst(11, 20, 9)), revisit("L2", gc1, cst(11, 20, 9).Add(time.Minute), cst(12, 4, 9)),
		reg("L3", events.RiskMedium, cst(10, 1, 10)), issue("L3", gc2, events.RiskMedium, cst(10, 1, 10)), sign("L3", gc2, "S9", cst(10, 1, 11)),
		settle("L3", cst(11, 5, 9)), revisit("L3", gc2, cst(11, 5, 9).Add(time.Minute), cst(11, 19, 10)),
	}
}

func TestLedgerActionsFiguresAndReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	now := cst(11, 20, 15)
	h := startWith(t, supervision.Options{Now: func() time.Time { return now }, FiguresEvery: 100 * time.Millisecond})
	h.PublishRaw(t, ledgerEvents(t)...)
	// Each topic is projected on its own: wait until every event is in.
	h.timelineOf(t, "L1", handoffs(2, "referred"))
	h.timelineOf(t, "L2", handoffs(5, "revisit_scheduled"))
	h.timelineOf(t, "L3", handoffs(5, "revisit_scheduled"))
	t.Run("the ledger of a given day", func(t *testing.T) { checkLedger(t, h) })
	t.Run("the committee's actions", func(t *testing.T) { checkActions(t, h) })
	t.Run("the live figures reach the operator's topic", func(t *testing.T) { checkFigures(t, h) })
	t.Run("a replay rebuilds the same figures", func(t *testing.T) { checkReplay(t, h) })
}

func checkLedger(t *testing.T, h *harness) {
	type item struct {
		DisputeID string `json:"dispute_id"`
		What      string `json:"what"`
	}
	var l struct {
		Day   string `json:"day"`
		Units []struct {
			Key      string `json:"key"`
			DueToday []item `json:"due_today"`
			Overdue  []item `json:"overdue"`
			Closed   []item `json:"closed"`
		} `json:"units"`
	}
	// The ledger reads the obligations index, written after the case
	// file: read it until the index has caught up.
	want := "2026-11-20 [{gc-1 [{L1 sign_copy:jurisdiction}] [{L1 settle}] [{L2 settled}]} {gc-2 [] [{L3 revisit:L3.r1.v1}] []}]"
	testtime.EventuallyNil(t, wait, "the ledger of 2026-11-20", func() error {
		l.Units = nil
		if status, _, err := h.get(t, "/v1/counties/"+linxia+"/ledger?date=2026-11-20", caller(linxia), &l); err != nil || status != http.StatusOK {
			t.Fatalf("ledger: %d %v", status, err)
		}
		if got := fmt.Sprintf("%s %v", l.Day, l.Units); got != want {
			return fmt.Errorf("ledger\n got %s\nwant %s", got, want)
		}
		return nil
	})
	expectProblem(t, h, "/v1/counties/"+linxia+"/ledger?date=20-11-2026", caller(linxia), http.StatusBadRequest)
	expectProblem(t, h, "/v1/counties/"+linxia+"/ledger", caller(jiuquan), http.StatusNotFound)
}

func checkActions(t *testing.T, h *harness) {
	unit := servicetest.Caller(linxia, "gc-1", identity.RoleJurisdiction, "S7")
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges", `{"comment": " "}`, caller(linxia)); status != http.StatusBadRequest || !strings.Contains(body, "#/comment") {
		t.Fatalf("an urge without a comment: %d %s", status, body)
	}
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges", `{"comment": "请于 11 月 22 日前化解"}`, header(unit)); status != http.StatusForbidden {
		t.Fatalf("a unit urging: %d %s", status, body)
	}
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges", `{"comment": "请于 11 月 22 日前化解"}`, caller(linxia)); status != http.StatusCreated || !strings.Contains(body, `"id":"u1"`) {
		t.Fatalf("urge: %d %s", status, body)
	}
	tag := supervisionETag(t, h)
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges/u1/read", "", header(unit)); status != http.StatusOK || !strings.Contains(body, `"read_by":"S7@gc-1"`) {
		t.Fatalf("read receipt: %d %s", status, body)
	}
	checkConditionalUrges(t, h, tag)
	if status, _ := h.send(t, "POST", "/v1/disputes/L1/urges/u9/read", "", header(unit)); status != http.StatusNotFound {
		t.Fatalf("reading an urge that does not exist: %d", status)
	}
	if status, body := h.send(t, "PUT", "/v1/watchlist/L3", "", caller(linxia)); status != http.StatusOK {
		t.Fatalf("watch: %d %s", status, body)
	}
	if _, body := h.send(t, "GET", "/v1/watchlist", "", caller(linxia)); !strings.Contains(body, `"dispute_id":"L3"`) || strings.Contains(body, `"L1"`) {
		t.Fatalf("watch list: %s", body)
	}
	if status, _ := h.send(t, "PUT", "/v1/watchlist/L3", "", caller(jiuquan)); status != http.StatusNotFound {
		t.Fatalf("another county watching: %d", status)
	}
}

// checkFigures: Linxia has one open dispute (L1), overdue; one of three
// resolved... L2 and L3 are settled: 2 of 3.
func checkFigures(t *testing.T, h *harness) {
	testtime.EventuallyNil(t, wait, "Linxia's figures", func() error {
		for _, m := range servicetest.ReadTopic(t, h.Stack.Brokers, policy.TopicCountyFigures, 1) {
			f, err := policy.DecodeFigures(m.Value)
			if err != nil || string(m.Key) != linxia {
				continue
			}
			if f.Open == 1 && f.Overdue == 1 && f.ResolutionRate == 2.0/3 {
				return nil
			}
		}
		return fmt.Errorf("no record with open 1, overdue 1, resolution 2/3 yet")
	})
}

func checkReplay(t *testing.T, h *harness) {
	paths := []string{
		"/v1/counties/" + linxia + "/kpis", "/v1/counties/" + linxia + "/kpis?month=2026-11",
		"/v1/counties/" + linxia + "/kpis/unit", "/v1/counties/" + linxia + "/kpis/officer?month=2026-11",
		"/v1/counties/" + linxia + "/ledger?date=2026-11-20", "/v1/counties/" + linxia + "/warnings?month=2026-11&level=village",
		"/v1/counties/" + linxia + "/statistics?month=2026-11", "/v1/disputes/L2/timeline", "/v1/disputes/L1/supervision",
	}
	before := map[string]string{}
	for _, p := range paths {
		status, body := h.send(t, "GET", p, "", caller(linxia))
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", p, status, body)
		}
		before[p] = body
	}
	if !strings.Contains(before[paths[6]], "2026-11,622901,neighbour,in_progress,none,1") {
		t.Fatalf("statistics:\n%s", before[paths[6]])
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	st, err := supervision.Replay(ctx, h.Config, nil)
	if err != nil || st.Projected < 12 {
		t.Fatalf("Replay() = %+v, %v", st, err)
	}
	for _, p := range paths {
		if _, after := h.send(t, "GET", p, "", caller(linxia)); after != before[p] {
			t.Errorf("GET %s after the replay:\n got %s\nwant %s", p, after, before[p])
		}
	}
	inMemory := storedReadModels(t, ctx, h.Config)
	// Holding one case file at a time, the replay writes each as soon as
	// the next dispute's event arrives, applies later events to the
	// written ones and builds the other read models from the case files
	// read back: the figures must not change, nor any document.
	if st, err := supervision.ReplayHoldingAtMost(ctx, h.Config, nil, 1); err != nil || st.Projected < 12 {
		t.Fatalf("ReplayHoldingAtMost(1) = %+v, %v", st, err)
	}
	checkSameReadModels(t, inMemory, storedReadModels(t, ctx, h.Config))
	for _, p := range paths {
		if _, after := h.send(t, "GET", p, "", caller(linxia)); after != before[p] {
			t.Errorf("GET %s after the replay holding one case file:\n got %s\nwant %s", p, after, before[p])
		}
	}
}

func supervisionETag(t *testing.T, h *harness) string {
	t.Helper()
	status, _, answer := h.DoRaw(t, http.MethodGet, "/v1/disputes/L1/supervision", nil, identity.Caller{}, pairs(caller(linxia))...)
	tag := answer.Get("ETag")
	if status != http.StatusOK || tag == "" {
		t.Fatalf("the actions on a case have no ETag: %d %q", status, tag)
	}
	return tag
}

// checkConditionalUrges: an urge decided on what the committee saw before
// the unit read the last one is refused; one on the fresh state, sent twice
// with one Idempotency-Key, is recorded once.
func checkConditionalUrges(t *testing.T, h *harness, stale string) {
	t.Helper()
	withHeader := func(name, value string) http.Header {
		who := caller(linxia).Clone()
		who.Set(name, value)
		return who
	}
	urge := `{"comment": "请当日回复化解进展"}`
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges", urge, withHeader("If-Match", stale)); status != http.StatusPreconditionFailed || !strings.Contains(body, "precondition") {
		t.Fatalf("an urge on a stale state: %d %s", status, body)
	}
	fresh := supervisionETag(t, h)
	if status, body := h.send(t, "POST", "/v1/disputes/L1/urges", urge, withHeader("If-Match", fresh)); status != http.StatusCreated || !strings.Contains(body, `"id":"u2"`) {
		t.Fatalf("an urge on the fresh state: %d %s", status, body)
	}
	key := withHeader("Idempotency-Key", "urge-L1-3")
	first, firstBody := h.send(t, "POST", "/v1/disputes/L1/urges", urge, key)
	again, againBody := h.send(t, "POST", "/v1/disputes/L1/urges", urge, key)
	if first != http.StatusCreated || again != first || againBody != firstBody || !strings.Contains(firstBody, `"id":"u3"`) {
		t.Fatalf("an urge sent twice with one key: %d %s, then %d %s", first, firstBody, again, againBody)
	}
	if _, body := h.send(t, "GET", "/v1/disputes/L1/supervision", "", caller(linxia)); strings.Contains(body, `"u4"`) {
		t.Fatalf("the retried urge was recorded twice: %s", body)
	}
}
