package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The work pages against the same stand-ins as console_test.go, with the
// mediator's and the revisit's list routes and the mediation's other acts.

// workFixture adds to a fixture mediation-room's and revisit's lists (the
// queries they were asked are kept) and refuses the acts' posts as the
// services do when a required field is missing.
type workFixture struct {
	*fixture
	queries map[string]url.Values
}

// resolvedMediation is the test mediation settled with one obligation to
// perform; villageMediation the test mediation at the village tier with a
// joint meeting convened.
var (
	resolvedMediation = strings.Replace(strings.Replace(testMediation, `"status":"open"`, `"status":"resolved"`, 1), `"sessions"`,
		`"settlement":{"summary":"院墙后移","terms":["院墙后移半米"]},"performance":{"terms":[{"term":1,"due_by":"2026-12-13T15:59:00Z","status":"pending"}]},"sessions"`, 1)
	villageMediation = strings.Replace(strings.Replace(testMediation, `"tier":2`, `"tier":3`, 1), `"sessions"`,
		`"joint_meeting":{"triggers":["requested"],"reason":"涉及多部门","agencies":["bafang-centre","bafang-police"],"convened_at":"2026-12-03T01:30:00Z"},"sessions"`, 1)
)

func newWorkFixture(t testing.TB) *workFixture {
	f := &workFixture{fixture: newFixture(t), queries: map[string]url.Values{}}
	f.upstream.Config.Handler = http.HandlerFunc(f.serveWork)
	for path, answer := range map[string]string{
		"/v1/mediations/d-1.r1.m1/joint-session": testMediation, "/v1/mediations/d-1.r1.m1/legal-aid": testMediation,
		"/v1/mediations/d-1.r1.m1/joint-meeting": testMediation, "/v1/mediations/d-1.r1.m1/joint-meeting/decisions": testMediation,
		"/v1/mediations/d-1.r1.m1/performance": resolvedMediation, "/v1/revisits/d-1.r1.v1/assign": testRevisit,
	} {
		f.answers[path] = json.RawMessage(answer)
	}
	return f
}

func (f *workFixture) serveWork(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.Method == http.MethodGet && (r.URL.Path == "/v1/mediations" || r.URL.Path == "/v1/revisits"):
		f.queries[r.URL.Path] = r.URL.Query()
		item := testMediation
		if r.URL.Path == "/v1/revisits" {
			item = testRevisit
		}
		reply(200, json.RawMessage(`{"items":[`+item+`],"total":1}`))
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v1/mediations/d-1.r1.m1/") || strings.HasSuffix(r.URL.Path, "/assign"):
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.posted[r.URL.Path] = body
		if fe := refusedAct(r.URL.Path, body); fe != "" {
			reply(400, map[string]any{"status": 400, "title": "Invalid request", "errors": []map[string]string{{"pointer": fe, "detail": "refused"}}})
			return
		}
		reply(200, f.answers[r.URL.Path])
	default:
		f.serve(w, r)
	}
}

// refusedAct is the field the stand-in refuses an act for.
func refusedAct(path string, body map[string]any) string {
	switch {
	case (strings.HasSuffix(path, "/joint-session") || strings.HasSuffix(path, "/legal-aid") || strings.HasSuffix(path, "/joint-meeting")) && body["reason"] == "":
		return "#/reason"
	case strings.HasSuffix(path, "/decisions"):
		for i, d := range body["decisions"].([]any) {
			if d.(map[string]any)["owner"] == "" {
				return "#/decisions/" + string(rune('0'+i)) + "/owner"
			}
		}
	case strings.HasSuffix(path, "/performance") && body["performed"] == nil:
		return "#/performed"
	case strings.HasSuffix(path, "/assign") && body["officer"] == "":
		return "#/officer"
	case strings.HasSuffix(path, "/outcome"):
		a, _ := body["agreement"].(map[string]any)
		if obs, ok := a["obligations"].([]any); ok && len(a["signatures"].([]any)) < 2 && len(obs) > 0 {
			return "#/agreement/signatures"
		}
	default:
		return refusedField(path, body)
	}
	return ""
}

// The mediator's queue is mediation-room's list of open mediations, which
// the service narrows to the mediator; each links to its page.
func TestTheMediatorsQueueListsTheirOpenMediations(t *testing.T) {
	f := newWorkFixture(t)
	resp, body := f.do("GET", "/mediations", nil, f.signedIn("mediator", "bafang-centre"))
	for _, want := range []string{"我的调解", "共 1 件", `href="/mediations/d-1.r1.m1"`, "622901-2026-000001", "派出所三所联调", "八坊派出所三所联调室", "已调解 1 次"} {
		if !strings.Contains(body, want) {
			t.Errorf("%d: the queue lacks %q", resp.StatusCode, want)
		}
	}
	if q := f.queries["/v1/mediations"]; q.Get("state") != "open" || q.Get("mediator") != "" {
		t.Errorf("the queue asked mediation-room for %v", q)
	}
	f.do("GET", "/mediations?state=bogus", nil, f.signedIn("mediator", "bafang-centre"))
	if q := f.queries["/v1/mediations"]; q.Get("state") != "open" {
		t.Errorf("an unknown state is asked as %q", q.Get("state"))
	}
}

// Each act on a mediation sends mediation-room's body and shows its
// refusal next to the field, with what was typed kept.
func TestTheMediationsActsSendTheirBodiesAndShowRefusals(t *testing.T) {
	f := newWorkFixture(t)
	f.answers["/v1/mediations/d-1.r1.m1"] = json.RawMessage(villageMediation)
	mediator := f.signedIn("mediator", "bafang-centre")
	_, body := f.do("GET", "/mediations/d-1.r1.m1", nil, mediator)
	for _, want := range []string{`id="joint-form"`, `id="legalaid-form"`, `id="decisions-form"`, "联席会议", "涉及多部门", "八坊派出所"} {
		if !strings.Contains(body, want) {
			t.Errorf("the village-tier mediation's page lacks %s", want)
		}
	}
	if strings.Contains(body, `id="convene-form"`) {
		t.Error("a mediation with its joint meeting convened offers to convene another")
	}

	for _, act := range []struct{ path, form, field string }{
		{"/joint-session", "joint", "joint-reason"}, {"/legal-aid", "legalaid", "legalaid-reason"},
	} {
		resp, body := f.do("POST", "/mediations/d-1.r1.m1"+act.path, url.Values{"reason": {"  "}}, mediator)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-`+act.form+`-reason"`) ||
			!strings.Contains(body, `id="`+act.field+`" name="reason" rows="2" aria-invalid="true" aria-describedby="err-`+act.form+`-reason"`) {
			t.Errorf("%s refused: %d\n%s", act.path, resp.StatusCode, body)
		}
		resp, _ = f.do("POST", "/mediations/d-1.r1.m1"+act.path, url.Values{"reason": {"涉及三方"}}, mediator)
		if resp.StatusCode != http.StatusSeeOther || f.posted["/v1/mediations/d-1.r1.m1"+act.path]["reason"] != "涉及三方" {
			t.Errorf("%s: %d, sent %v", act.path, resp.StatusCode, f.posted["/v1/mediations/d-1.r1.m1"+act.path])
		}
	}

	// Decisions: an empty row is none; a row's owner refused is named at
	// that row; the due date is the end of that day in Beijing.
	form := url.Values{"decision0_text": {"住建局核定地界"}, "decision0_owner": {"bafang-police"}, "decision0_due": {"2026-12-10"},
		"decision1_text": {"社区跟进"}, "decision1_owner": {""}, "decision1_due": {"2026-12-11"}}
	resp, body := f.do("POST", "/mediations/d-1.r1.m1/joint-meeting/decisions", form, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-decisions-decisions-1-owner"`) || !strings.Contains(body, "请选择责任单位") ||
		!strings.Contains(body, `value="社区跟进"`) {
		t.Errorf("a decision without its owner: %d\n%s", resp.StatusCode, body)
	}
	form.Set("decision1_owner", "bafang-centre")
	if resp, _ := f.do("POST", "/mediations/d-1.r1.m1/joint-meeting/decisions", form, mediator); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the decisions: %d", resp.StatusCode)
	}
	decisions := f.posted["/v1/mediations/d-1.r1.m1/joint-meeting/decisions"]["decisions"].([]any)
	if len(decisions) != 2 || decisions[0].(map[string]any)["due_by"] != "2026-12-10T15:59:00Z" {
		t.Errorf("the decisions sent: %v", decisions)
	}
}

// The outcome's agreement carries its obligations, amounts in fen and
// deadlines at the end of the day in Beijing, with the parties' signatures;
// without both signatures it is refused next to them.
func TestTheAgreementCarriesItsObligationsAndSignatures(t *testing.T) {
	f := newWorkFixture(t)
	mediator := f.signedIn("mediator", "bafang-centre")
	form := url.Values{"result": {"resolved"}, "summary": {"院墙后移"}, "terms": {"院墙后移半米"}, "signed": {"applicant"},
		"obligation0_obligor": {"respondent"}, "obligation0_duty": {"赔偿修缮费"}, "obligation0_amount": {"1200.5"},
		"obligation0_manner": {"银行转账"}, "obligation0_place": {"八坊街道"}, "obligation0_deadline": {"2026-12-13"}}
	resp, body := f.do("POST", "/mediations/d-1.r1.m1/outcome", form, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-outcome-agreement-signatures"`) || !strings.Contains(body, `value="赔偿修缮费"`) {
		t.Errorf("one signature: %d\n%s", resp.StatusCode, body)
	}
	form["signed"] = []string{"applicant", "respondent"}
	if resp, _ := f.do("POST", "/mediations/d-1.r1.m1/outcome", form, mediator); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the outcome: %d", resp.StatusCode)
	}
	a := f.posted["/v1/mediations/d-1.r1.m1/outcome"]["agreement"].(map[string]any)
	o := a["obligations"].([]any)[0].(map[string]any)
	if len(a["obligations"].([]any)) != 1 || o["amount_fen"] != 120050.0 || o["deadline"] != "2026-12-13T15:59:00Z" || len(a["signatures"].([]any)) != 2 {
		t.Errorf("the agreement sent: %v", a)
	}

	form.Set("obligation0_amount", "一千")
	resp, body = f.do("POST", "/mediations/d-1.r1.m1/outcome", form, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "金额不是数字") {
		t.Errorf("an amount in words: %d", resp.StatusCode)
	}
}

// A settled mediation shows its agreement rendered from mediation-room's
// template when read for the mediation, and records each obligation's
// performance.
func TestASettledMediationShowsItsAgreementAndRecordsPerformance(t *testing.T) {
	f := newWorkFixture(t)
	f.answers["/v1/mediations/d-1.r1.m1"] = json.RawMessage(resolvedMediation)
	f.answers["/v1/mediations/d-1.r1.m1/agreement"] = json.RawMessage(`"人民调解协议书\n案件编号: 622901-2026-000001"`)
	mediator := f.signedIn("mediator", "bafang-centre")
	_, body := f.do("GET", "/mediations/d-1.r1.m1?purpose=mediation", nil, mediator)
	for _, want := range []string{`id="agreement-text"`, "人民调解协议书", `id="performance-form"`, "履行事项 1", "待履行"} {
		if !strings.Contains(body, want) {
			t.Errorf("the settled mediation lacks %s", want)
		}
	}
	resp, body := f.do("POST", "/mediations/d-1.r1.m1/performance", url.Values{"term": {"1"}}, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-performance-performed"`) {
		t.Errorf("performance without its answer: %d", resp.StatusCode)
	}
	resp, _ = f.do("POST", "/mediations/d-1.r1.m1/performance", url.Values{"term": {"1"}, "performed": {"no"}, "note": {"逾期未付"}}, mediator)
	if sent := f.posted["/v1/mediations/d-1.r1.m1/performance"]; resp.StatusCode != http.StatusSeeOther || sent["term"] != 1.0 || sent["performed"] != false {
		t.Errorf("performance: %d, sent %v", resp.StatusCode, sent)
	}
}

// The revisits due are the unit's, soonest first; an officer names who
// makes one, refused next to the field when empty.
func TestTheRevisitsDueAndTheirAssignment(t *testing.T) {
	f := newWorkFixture(t)
	centre := f.signedIn("jurisdiction", "bafang-centre")
	_, body := f.do("GET", "/revisits", nil, centre)
	for _, want := range []string{"待回访", `href="/revisits/d-1.r1.v1"`, "首次回访", "2026年12月05日 10:00", "未指定"} {
		if !strings.Contains(body, want) {
			t.Errorf("the revisits due lack %q", want)
		}
	}
	if q := f.queries["/v1/revisits"]; q.Get("unit") != "bafang-centre" || q.Get("state") != "scheduled" {
		t.Errorf("the revisits were asked as %v", q)
	}
	f.do("GET", "/revisits?mine=true", nil, centre)
	if q := f.queries["/v1/revisits"]; q.Get("assignee") != "A1" || q.Has("unit") {
		t.Errorf("my revisits were asked as %v", q)
	}
	if _, body := f.do("GET", "/revisits/d-1.r1.v1", nil, centre); !strings.Contains(body, `id="assign-form"`) {
		t.Error("the revisit's unit is not offered the assignment")
	}
	resp, body := f.do("POST", "/revisits/d-1.r1.v1/assign", url.Values{"officer": {" "}}, centre)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-assign-officer"`) {
		t.Errorf("an empty assignment: %d", resp.StatusCode)
	}
	resp, _ = f.do("POST", "/revisits/d-1.r1.v1/assign", url.Values{"officer": {"P-12"}}, centre)
	if resp.StatusCode != http.StatusSeeOther || f.posted["/v1/revisits/d-1.r1.v1/assign"]["officer"] != "P-12" {
		t.Errorf("the assignment: %d, sent %v", resp.StatusCode, f.posted["/v1/revisits/d-1.r1.v1/assign"])
	}
}

// The station's open cases show each one's stage and next deadline from
// supervision, read for the whole page in one call; a dispute supervision
// leaves out shows without them.
func TestTheStationsCasesShowStageAndDeadline(t *testing.T) {
	f := newWorkFixture(t)
	item := func(id string) map[string]any {
		return map[string]any{"id": id, "case_code": "622901-2026-00000" + id[2:], "round": 1, "status": "registered",
			"category": "neighbour", "place": map[string]string{"township_code": "622901001"}, "registered_at": "2026-12-03T02:00:00Z"}
	}
	f.disputes = map[string]any{"total": 2, "items": []any{item("d-1"), item("d-2")}}
	_, body := f.do("GET", "/cases", nil, f.signedIn("officer", "bafang-police"))
	for _, want := range []string{`<td class="stage">已签收</td>`, "化解 2026年12月10日 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the cases lack %q:\n%s", want, body)
		}
	}
	if strings.Count(body, `<td class="stage">`) != 2 || !strings.Contains(body, `href="/disputes/d-2"`) {
		t.Errorf("the case supervision left out is not listed:\n%s", body)
	}
	// The page's rows, then the alerts' (the same list here): one call each.
	if len(f.stagesAsked) != 2 || !slices.Equal(f.stagesAsked[0], []string{"d-1", "d-2"}) {
		t.Errorf("the stages were asked as %v, want [d-1 d-2] in one call for the page", f.stagesAsked)
	}
}

func TestDeadlineLabel(t *testing.T) {
	for what, want := range map[string]string{
		"sign_copy:jurisdiction": "签收", "settle": "化解", "revisit:d-1.r1.v1": "回访", "something_new": "办理",
	} {
		if got := deadlineLabel(what); got != want {
			t.Errorf("deadlineLabel(%q) = %q, want %q", what, got, want)
		}
	}
}
