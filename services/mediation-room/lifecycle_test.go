package mediationroom_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/testtime"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// A dispute's way up the tiers, on the embedded broker and store: two failed
// sessions at the village, up to the station, an objection, a joint session
// settled on the lawyer's opinion, and the agreement's performance tracked
// until a missed term reopens the case.
func TestTwoFailuresEscalateAndAJointSessionSettles(t *testing.T) {
	clk := testtime.NewClock(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)) // Monday 10:00 in China
	h := servicetest.Start(t, mediationroom.NewWith(mediationroom.Options{Now: clk.Now, SweepEvery: 100 * time.Millisecond, DataKey: dataKey}))
	h.Publish(t, issued("d-10", events.RiskLow))
	path := "/v1/mediations/d-10.r1.m1"
	peacemaker := seated(t, h, path, "lead")
	_, m := h.Do(t, "GET", path, nil, peacemaker)
	if m["tier"] != float64(3) || seat(m, "lead") == "" || m["first_responsible"].(map[string]any)["id"] != "gc-622901100" {
		t.Fatalf("opened %v", m)
	}
	if _, p := h.Do(t, "GET", path+"/proposals", nil, peacemaker); len(p["seats"].(map[string]any)["lead"].([]any)) != 2 {
		t.Fatalf("proposals %v", p)
	}

	for i := 1; i <= 2; i++ {
		post(t, h, path+"/sessions", map[string]any{"starts_at": clk.Now().Add(time.Hour)}, peacemaker)
		m = post(t, h, path+"/sessions/"+string(rune('0'+i))+"/record", record("failed"), peacemaker)
	}
	if m["tier"] != float64(2) || m["room_kind"] != "police_station_room" || len(m["escalations"].([]any)) != 1 {
		t.Fatalf("after two failed village sessions %v", m)
	}
	// The village's peacemaker is off the case now; the station's team
	// carries it on.
	if status, _ := h.Do(t, "GET", path, nil, peacemaker); status != http.StatusNotFound {
		t.Errorf("the peacemaker left behind at the village still reads the mediation: %d", status)
	}
	mediator := seated(t, h, path, "police")

	objected := seat(m, "judicial_mediator")
	m = post(t, h, path+"/objections", map[string]any{"mediator_id": objected, "party": "respondent", "reason": "conflict_of_interest"}, mediator)
	if replacement := seat(m, "judicial_mediator"); replacement == "" || replacement == objected {
		t.Fatalf("objected %s, seat now %q", objected, replacement)
	}

	m = post(t, h, path+"/sessions", map[string]any{"starts_at": clk.Now().Add(24 * time.Hour)}, mediator)
	if s := m["sessions"].([]any)[2].(map[string]any); s["joint"] != true || s["tier"] != float64(2) {
		t.Fatalf("third session %v", s)
	}
	bad := record("agreed")
	if status, p := h.Do(t, "POST", path+"/sessions/3/record", bad, mediator); status != http.StatusBadRequest || !strings.Contains(p["errors"].([]any)[0].(map[string]any)["pointer"].(string), "legal_opinion") {
		t.Fatalf("agreed joint session without the lawyer's opinion: %d %v", status, p)
	}
	agreed := record("agreed")
	agreed["legal_opinion"] = map[string]any{"lawyer_id": seat(m, "lawyer"), "facts": "院墙越界 20 厘米",
		"legal_basis": []string{"《民法典》第二百八十八条"}, "analysis": "相邻关系应当互谅互让", "advice": "后退院墙并赔偿"}
	post(t, h, path+"/sessions/3/record", agreed, mediator)

	due := clk.Now().Add(7 * 24 * time.Hour)
	m = post(t, h, path+"/outcome", map[string]any{"result": "resolved", "judicial_confirmation": true, "agreement": map[string]any{
		"summary": "院墙后退并赔偿",
		"obligations": []map[string]any{
			{"obligor": "respondent", "duty": "拆除越界院墙", "manner": "自行拆除", "place": "本村", "deadline": due},
			{"obligor": "respondent", "duty": "赔偿损失", "amount_fen": 150000, "manner": "银行转账", "place": "城关司法所", "deadline": due},
		},
		"signatures": []map[string]any{{"signer": "applicant", "signed_at": clk.Now()}, {"signer": "respondent", "signed_at": clk.Now()}},
	}}, mediator)
	if m["status"] != "resolved" || len(m["performance"].(map[string]any)["terms"].([]any)) != 2 {
		t.Fatalf("resolved %v", m)
	}
	if status, _, _ := h.DoRaw(t, "GET", path+"/agreement", nil, mediator); status != http.StatusBadRequest {
		t.Errorf("the agreement's text without a stated purpose: %d, want 400", status)
	}
	status, text, _ := h.DoRaw(t, "GET", path+"/agreement?purpose=mediation", nil, mediator)
	if status != http.StatusOK || !strings.Contains(string(text), "1500.00 元") || !strings.Contains(string(text), "城关司法所") {
		t.Fatalf("agreement text %d %s", status, text)
	}
	assertAgreementPrivate(t, h, path, mediator, "城关司法所", "院墙后退并赔偿", "拆除越界院墙", "相邻关系应当互谅互让", "后退院墙并赔偿")

	post(t, h, path+"/performance", map[string]any{"term": 1, "performed": true}, mediator)
	clk.Advance(8 * 24 * time.Hour) // term 2 passes its deadline: the sweeper records the miss

	evs := h.AwaitEvents(t, events.TopicMediations, "d-10", 15)
	for typ, want := range map[string]int{
		events.TypeMediationOpened: 1, events.TypeMediatorsAssigned: 3, events.TypeMediationSessionScheduled: 3,
		events.TypeMediationSessionRecorded: 3, events.TypeMediationEscalated: 1, events.TypeMediationResolved: 1,
		events.TypeMediationHandedOff: 1, events.TypeMediationPerformanceRecorded: 2, events.TypeMediationFailed: 0,
	} {
		if got := evs.Count(typ); got != want {
			t.Errorf("%d %s, want %d", got, typ, want)
		}
	}
	last := evs[len(evs)-1].Payload.(*events.MediationPerformanceRecorded)
	if last.Status != events.PerformanceMissed || !last.Reopens || last.To.ID != "pcs-chengbei" || last.Term != 2 {
		t.Fatalf("the missed term %+v", last)
	}
	assertHandoffs(t, evs)
	assertResealMovesTheAgreement(t, h, path)
}
