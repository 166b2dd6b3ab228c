package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
)

// The stories below are played from the seeds (docs/domain.md, "Stories")
// against the whole platform on the sample counties' policies, through the
// documented APIs and the county topics, on a movable clock: what must
// happen between the services, and over weeks, is checked at the end of
// each. They share one platform, as the counties share one in production;
// each story has its own parties, so none is linked to another's.

// storyPlatform starts the platform on the sample counties with a movable
// clock.
func storyPlatform(t *testing.T) *platform {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: samplePolicies, Clock: devstack.NewClock(),
		Logger: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("platform stopped with: %v", err)
			}
		}
	}
	t.Cleanup(stop)
	pl := &platform{Platform: p, clients: map[string]*servicetest.Harness{}, stop: stop}
	for name, url := range p.URLs {
		pl.clients[name] = &servicetest.Harness{URL: url, Stack: p.Infra, Token: func(c identity.Caller) (string, error) {
			return sessions.bearer(p.IdP.Issuer, c)
		}}
		servicetest.Eventually(t, 60*time.Second, name+" is ready", func() bool {
			resp, err := http.Get(url + "/readyz")
			if err == nil {
				resp.Body.Close()
			}
			return err == nil && resp.StatusCode == http.StatusOK
		})
	}
	return pl
}

// advance moves the platform's clock forward through its endpoint, as a
// person at `make run -movable-clock` would.
func (p *platform) advance(t *testing.T, d time.Duration) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"advance": d.String()})
	resp, err := http.Post(p.ClockURL+"/clock", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("advancing the clock by %s: %d %s", d, resp.StatusCode, raw)
	}
}

// cast is who acts in one county's stories.
type cast struct {
	county                     string
	officer, centre, committee identity.Caller
	township, village          string
}

func castOf(county, township, village string) cast {
	return cast{
		county: county, township: township, village: village,
		// The provider's sample people of the county: the token, not the
		// test, says who calls.
		officer:   sampleUser(identity.RoleOfficer, county),
		centre:    sampleUser(identity.RoleJurisdiction, county),
		committee: sampleUser(identity.RoleCommittee, county),
	}
}

var (
	shinan = castOf("370202", "370202001", "370202001001") // Qingdao Shinan, 江苏路街道
	linxia = castOf("622901", "622901001", "622901001001") // Linxia city, 八坊街道
	suzhou = castOf("620902", "620902001", "620902001001") // Jiuquan Suzhou, 东北街街道
)

// report is one registration in a story.
type report struct {
	ref, category, summary, phone string
	applicant, respondent         string
	facts                         map[string]any
}

func (c cast) registration(r report) map[string]any {
	body := map[string]any{
		"channel": "alert_110", "external_ref": r.ref, "county_code": c.county,
		"place":    map[string]any{"township_code": c.township, "village_code": c.village},
		"category": r.category,
		"parties": []map[string]any{
			{"role": "applicant", "name": r.applicant, "phone": r.phone},
			{"role": "respondent", "name": r.respondent},
		},
		"summary": r.summary, "narrative": r.summary + "，民警到场处置。",
	}
	for k, v := range r.facts {
		body[k] = v
	}
	return body
}

// registerIn registers a report and returns the dispute's ID; want is 201
// for a new dispute, 200 for a repeat report linked to one.
func (p *platform) registerIn(t *testing.T, c cast, r report, want int) string {
	t.Helper()
	status, d := p.do(t, "intake", "POST", "/v1/disputes", c.registration(r), c.officer)
	if status != want {
		t.Fatalf("register %s: %d %v, want %d", r.ref, status, d, want)
	}
	id, _ := d["id"].(string)
	return id
}

func (p *platform) post(t *testing.T, service, path string, body any, caller identity.Caller) map[string]any {
	t.Helper()
	status, b := p.do(t, service, "POST", path, body, caller)
	if status != http.StatusOK && status != http.StatusCreated {
		t.Fatalf("POST %s: %d %v", path, status, b)
	}
	return b
}

func (p *platform) openMediation(t *testing.T, c cast, id string) map[string]any {
	t.Helper()
	return p.eventually(t, "mediation-room", "/v1/mediations/"+id+".r1.m1", c.committee, "the mediation of "+id+" is open",
		func(b map[string]any) bool { return b["status"] == "open" })
}

// resolve records an agreement and waits for the first revisit.
func (p *platform) resolve(t *testing.T, c cast, id string, agreement map[string]any) {
	t.Helper()
	med := "/v1/mediations/" + id + ".r1.m1"
	p.post(t, "mediation-room", med+"/outcome", map[string]any{"result": "resolved", "agreement": agreement}, p.mediatorOn(t, c, med, ""))
	p.eventually(t, "revisit", "/v1/revisits/"+id+".r1.v1", c.centre, "the revisit of "+id+" is scheduled",
		func(b map[string]any) bool { return b["status"] == "scheduled" })
}

func (p *platform) timeline(t *testing.T, c cast, id, what string, check func(tl map[string]any) bool) map[string]any {
	t.Helper()
	return p.eventually(t, "supervision", "/v1/disputes/"+id+"/timeline", c.committee, what, check)
}

// handoffs lists the types and notes of a timeline, in order.
func handoffs(tl map[string]any) (types, notes []string) {
	hs, _ := tl["handoffs"].([]any)
	for _, h := range hs {
		m, _ := h.(map[string]any)
		typ, _ := m["type"].(string)
		note, _ := m["note"].(string)
		types, notes = append(types, typ), append(notes, note)
	}
	return types, notes
}

// unitID finds a room's or an agency's ID (room-370202001, plc-622901,
// jsl-370202, gc-370202): a note names units, never by their IDs.
var unitID = regexp.MustCompile(`[a-z]+-[0-9]`)

// englishWords finds two English words in a row.
var englishWords = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,}`)

func hasHandoff(tl map[string]any, typ, noteContains string) bool {
	types, notes := handoffs(tl)
	for i := range types {
		if types[i] == typ && strings.Contains(notes[i], noteContains) {
			return true
		}
	}
	return false
}

// mediatorOn is, as a caller, the mediator seated on the mediation at path
// now (in seat, or the first seat when seat is ""): only the mediators on
// a mediation's team may address it, and every mediator of the sample
// rosters logs in to the provider by its roster ID.
func (p *platform) mediatorOn(t *testing.T, c cast, path, seat string) identity.Caller {
	t.Helper()
	status, m := p.do(t, "mediation-room", "GET", path, nil, c.committee)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, status, m)
	}
	team, _ := m["team"].([]any)
	for _, x := range team {
		member, _ := x.(map[string]any)
		if seat == "" || member["seat"] == seat {
			agency, _ := member["agency"].(string)
			id, _ := member["mediator_id"].(string)
			return identity.Caller{County: c.county, Agency: agency, Role: identity.RoleMediator, Officer: id}
		}
	}
	t.Fatalf("no one in seat %q of %s: %v", seat, path, team)
	return identity.Caller{}
}

func seated(m map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	team, _ := m["team"].([]any)
	for _, x := range team {
		member, _ := x.(map[string]any)
		seat, _ := member["seat"].(string)
		out[seat] = member
	}
	return out
}

func copyOf(slip map[string]any, cp events.Copy) map[string]any {
	copies, _ := slip["copies"].([]any)
	for _, x := range copies {
		c, _ := x.(map[string]any)
		if c["copy"] == string(cp) {
			return c
		}
	}
	return nil
}

func timeOf(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("not a time: %v", v)
	}
	return at
}

func TestStoriesFromTheSeeds(t *testing.T) {
	p := storyPlatform(t)
	// Each story runs on its own; they share the clock, so the stories that
	// move it run last, in order.
	t.Run("a neighbours' quarrel settled the same day by 三所联调", func(t *testing.T) { sameDayJointSession(t, p) })
	t.Run("a fight whose parties refuse mediation", func(t *testing.T) { refusedFight(t, p) })
	t.Run("repeat 110 calls from one household", func(t *testing.T) { repeatCalls(t, p) })
	t.Run("wage arrears recovered with the township", func(t *testing.T) { wageArrears(t, p) })
	t.Run("a rebound after a revisit", func(t *testing.T) { reboundAfterRevisit(t, p) })
	t.Run("a county that is not a tenant", func(t *testing.T) { notATenant(t, p) })
	t.Run("repeat calls before anyone has signed", func(t *testing.T) { repeatCallsBeforeSigning(t, p) })
	t.Run("a high-risk copy left unsigned past its deadline", func(t *testing.T) { unsignedHighRiskCopy(t, p) })
	t.Run("a revisit left undone past two weeks", func(t *testing.T) { revisitPastTwoWeeks(t, p) })
	t.Run("a months-long inheritance mediation", func(t *testing.T) { monthsLongInheritance(t, p) })
	// Last: it sets the clock to a Saturday, and waits on no sweep.
	t.Run("a weekend quarrel under Shinan's own roster and categories", func(t *testing.T) { weekendRosterAndCategories(t, p) })
}

// From the Qingdao article: a neighbours' quarrel in 江苏路街道 is low risk and starts with
// a village peacemaker; the station's mediator takes it straight to the
// 江苏路 三所联调 room, where police, judicial office and lawyer settle it the
// same day; the revisit finds it stable and the loop is closed.
func sameDayJointSession(t *testing.T, p *platform) {
	c := shinan
	id := p.registerIn(t, c, report{ref: "110-sn-0001", category: "neighbour", summary: "楼道堆物争执",
		phone: "13900000001", applicant: "王一", respondent: "赵一"}, http.StatusCreated)
	m := p.openMediation(t, c, id)
	if m["tier"] != float64(3) || m["risk_level"] != "low" {
		t.Fatalf("a low-risk neighbours' quarrel opened at tier %v, risk %v", m["tier"], m["risk_level"])
	}
	med := "/v1/mediations/" + id + ".r1.m1"
	peacemaker := p.mediatorOn(t, c, med, "lead")
	if status, b := p.do(t, "mediation-room", "POST", med+"/joint-session", map[string]any{"reason": " "}, peacemaker); status != http.StatusBadRequest {
		t.Fatalf("a joint session without a reason: %d %v", status, b)
	}
	m = p.post(t, "mediation-room", med+"/joint-session", map[string]any{"reason": "双方同意当日到三所联调室调解"}, peacemaker)
	room, _ := m["room"].(map[string]any)
	team := seated(m)
	if m["tier"] != float64(2) || room["id"] != "jsl-sansuo" {
		t.Fatalf("after the request: tier %v in room %v, want tier 2 in the 江苏路 三所联调 room", m["tier"], room)
	}
	if team["police"]["mediator_id"] != "sn-jsl-o01" || team["lawyer"]["mediator_id"] != "sn-jsl-l01" || team["judicial_mediator"] == nil {
		t.Fatalf("the joint team %v", team)
	}
	if reasons := fmt.Sprint(team["police"]["reasons"]); !strings.Contains(reasons, "serves township 370202001") {
		t.Errorf("the station's officer is not matched for serving the township: %s", reasons)
	}
	s := p.post(t, "mediation-room", med+"/sessions", map[string]any{"starts_at": p.now(t).Add(time.Hour)}, p.mediatorOn(t, c, med, "police"))
	if sessions, _ := s["sessions"].([]any); len(sessions) != 1 || sessions[0].(map[string]any)["joint"] != true {
		t.Fatalf("the session is not a joint one: %v", s["sessions"])
	}
	p.resolve(t, c, id, map[string]any{"summary": "三日内清理楼道堆物", "terms": []string{"赵一三日内清理楼道堆物"}})
	p.post(t, "revisit", "/v1/revisits/"+id+".r1.v1/result", map[string]any{"outcome": "stable"}, c.centre)

	tl := p.timeline(t, c, id, "the loop is closed", func(b map[string]any) bool { return b["stage"] == "closed" })
	p.eventually(t, "intake", "/v1/disputes/"+id, c.officer, "intake says the dispute is closed", func(d map[string]any) bool { return d["status"] == "closed" })
	if !hasHandoff(tl, events.TypeMediationEscalated, "") {
		t.Errorf("the move to the joint session is not on the timeline: %v", tl["handoffs"])
	}
	// A person reads the steps in Chinese.
	var labels []string
	for _, h := range tl["handoffs"].([]any) {
		label, _ := h.(map[string]any)["label"].(string)
		labels = append(labels, label)
	}
	for _, want := range []string{"登记", "三联单签发", "调解升级", "调解成功", "回访"} {
		if !slices.Contains(labels, want) {
			t.Errorf("the timeline's steps %v lack %s", labels, want)
		}
	}
	// And what happened at each, in Chinese, with the units' names: no
	// English words, event types, or room or agency IDs (the county's
	// policy names the units an event names only by their IDs).
	_, notes := handoffs(tl)
	for _, note := range notes {
		if englishWords.MatchString(note) || strings.Contains(note, "fengqiao") || unitID.MatchString(note) {
			t.Errorf("a note of the timeline does not read in Chinese: %q", note)
		}
	}
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, "三所联调") }) {
		t.Errorf("the timeline does not say the case went to the 三所联调 room: %v", notes)
	}
	// Another county reads nothing of it: its slips answer 404 like every
	// other read.
	if status, b := p.do(t, "referral", "GET", "/v1/disputes/"+id+"/slips", nil, linxia.committee); status != http.StatusNotFound {
		t.Errorf("Linxia's committee listed Shinan's slips: %d %v", status, b)
	}
	if status, _ := p.do(t, "supervision", "GET", "/v1/disputes/"+id+"/timeline", nil, linxia.committee); status != http.StatusNotFound {
		t.Errorf("Linxia's committee read Shinan's timeline: %d", status)
	}
	// The copies went to Shinan's topics, and to no other county's.
	for _, cp := range events.Copies() {
		if !onTopic(t, p, events.CountyCopyTopic(c.county, cp), id) {
			t.Errorf("the %s copy is not on Shinan's topic", cp)
		}
		if onTopic(t, p, events.CountyCopyTopic(linxia.county, cp), id) {
			t.Errorf("the %s copy reached Linxia's topic", cp)
		}
	}
}

// onTopic reports whether a record keyed by the dispute is on the topic.
func onTopic(t *testing.T, p *platform, topic, id string) bool {
	if servicetest.CountTopicAs(t, p.Infra.Brokers, admin, topic) == 0 {
		return false
	}
	for _, m := range servicetest.ReadTopicAs(t, p.Infra.Brokers, admin, topic, 1) {
		if strings.Contains(string(m.Value), id) {
			return true
		}
	}
	return false
}

// From the Xiangcheng and Ganzhou articles: two men fight outside a shop in 八坊街道; both refuse
// mediation, and the case goes to the station's punishment procedure. It is
// closed as not mediated: never open, never overdue, never lost.
func refusedFight(t *testing.T, p *platform) {
	c := linxia
	id := p.registerIn(t, c, report{ref: "110-lx-0101", category: "damages", summary: "店门口斗殴",
		phone: "13900000101", applicant: "马二", respondent: "韩二", facts: map[string]any{"stage": "physical"}}, http.StatusCreated)
	p.openMediation(t, c, id)
	m := p.post(t, "mediation-room", "/v1/mediations/"+id+".r1.m1/outcome", map[string]any{"result": "punishment_procedure",
		"reason": "双方斗殴后均拒绝调解", "fight": true, "refused_by": []string{"applicant", "respondent"}}, c.officer)
	if m["status"] != "not_mediated" {
		t.Fatalf("status %v", m["status"])
	}
	tl := p.timeline(t, c, id, "supervision closes it as not mediated", func(b map[string]any) bool { return b["stage"] == "not_mediated" })
	if !hasHandoff(tl, events.TypeMediationHandedOff, "治安处罚程序") {
		t.Errorf("the hand-off is not on the timeline: %v", tl["handoffs"])
	}
	p.eventually(t, "supervision", "/v1/counties/"+c.county+"/kpis", c.committee, "the KPIs count it as not mediated",
		func(k map[string]any) bool {
			stages, _ := k["stages"].(map[string]any)
			return stages["not_mediated"] == float64(1)
		})
	// A month and a half later it owes nothing: never overdue.
	p.advance(t, 45*24*time.Hour)
	// The ledger's index follows the case file's write: it is waited for.
	p.eventually(t, "supervision", "/v1/counties/"+c.county+"/ledger", c.committee, "the ledger owes nothing on a case closed by the punishment procedure",
		func(ledger map[string]any) bool {
			for _, owed := range owedItems(ledger) {
				if strings.HasPrefix(owed, id+" ") {
					return false
				}
			}
			return true
		})
}

// owedItems lists "<dispute> <what>" of the ledger's due and overdue items.
func owedItems(ledger map[string]any) []string {
	var out []string
	for _, side := range []string{"units", "officers"} {
		lines, _ := ledger[side].([]any)
		for _, l := range lines {
			line, _ := l.(map[string]any)
			for _, list := range []string{"due_today", "overdue"} {
				items, _ := line[list].([]any)
				for _, it := range items {
					item, _ := it.(map[string]any)
					out = append(out, fmt.Sprintf("%v %v", item["dispute_id"], item["what"]))
				}
			}
		}
	}
	return out
}

// From the Ganzhou article: the same household calls 110 again and again about a family
// quarrel. The repeat calls are linked to one dispute and raise it to high
// risk: the slip's unsigned copies get the high-risk signing time, and the
// mediation moves up to the street centre, with the reason on the timeline.
func repeatCalls(t *testing.T, p *platform) {
	c := shinan
	first := report{ref: "110-sn-0201", category: "marriage_family", summary: "夫妻争吵", phone: "13900000201", applicant: "孙三", respondent: "孙四"}
	id := p.registerIn(t, c, first, http.StatusCreated)
	m := p.openMediation(t, c, id)
	if m["risk_level"] != "medium" || m["tier"] != float64(2) {
		t.Fatalf("the first call: risk %v at tier %v", m["risk_level"], m["tier"])
	}
	slip := p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the slip is issued", func(map[string]any) bool { return true })
	issuedAt := timeOf(t, slip["issued_at"])
	before := timeOf(t, copyOf(slip, events.CopyJurisdiction)["accept_by"])

	for i, ref := range []string{"110-sn-0202", "110-sn-0203"} {
		again := first
		again.ref, again.summary = ref, fmt.Sprintf("夫妻再次争吵（第 %d 次报警）", i+2)
		if linked := p.registerIn(t, c, again, http.StatusOK); linked != id {
			t.Fatalf("repeat call %s linked to %s, want %s", ref, linked, id)
		}
	}
	p.eventually(t, "intake", "/v1/disputes/"+id, c.officer, "the dispute is high risk", func(d map[string]any) bool { return d["risk_level"] == "high" })

	// Shinan gives a high-risk copy 2 hours on the wall clock.
	slip = p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the slip follows the raised risk", func(s map[string]any) bool { return s["risk_level"] == "high" })
	after := timeOf(t, copyOf(slip, events.CopyJurisdiction)["accept_by"])
	if !after.Before(before) || after.After(issuedAt.Add(2*time.Hour)) {
		t.Fatalf("the jurisdiction copy is due %s (was %s), want by %s", after, before, issuedAt.Add(2*time.Hour))
	}
	m = p.eventually(t, "mediation-room", "/v1/mediations/"+id+".r1.m1", c.committee, "the mediation follows the raised risk",
		func(b map[string]any) bool { return b["risk_level"] == "high" })
	if room, _ := m["room"].(map[string]any); m["tier"] != float64(1) || room["id"] != "jsl-street-centre" {
		t.Fatalf("the high-risk mediation sits at tier %v in %v, want tier 1 in the street centre", m["tier"], room)
	}
	tl := p.timeline(t, c, id, "the timeline shows the raised risk and its effect", func(b map[string]any) bool {
		return hasHandoff(b, events.TypeMediationEscalated, "") && (hasHandoff(b, events.TypeDisputeRiskRegraded, "调整为高") || hasHandoff(b, events.TypeDisputeSecondHandling, "调整为高"))
	})
	if types, _ := handoffs(tl); !slices.Contains(types, events.TypeDisputeReportLinked) {
		t.Errorf("the repeat calls are not on the timeline: %v", types)
	}
}

// From the Jiuquan article: a worker's unpaid wages in 东北街街道; the township's room settles
// it with an agreement on the amount, and the revisit finds it stable.
func wageArrears(t *testing.T, p *platform) {
	c := suzhou
	id := p.registerIn(t, c, report{ref: "12345-sz-0301", category: "labour", summary: "拖欠工资",
		phone: "13900000301", applicant: "李五", respondent: "某建筑公司"}, http.StatusCreated)
	p.openMediation(t, c, id)
	// The station blows the whistle and the labour inspection comes to the
	// table ("公安吹哨、部门到位"), as a step of its own.
	med := "/v1/mediations/" + id + ".r1.m1"
	p.post(t, "mediation-room", med+"/joint-meeting", map[string]any{"reason": "欠薪涉及多名工人，需劳动监察到场", "departments": []string{"labour-inspection"}}, c.officer)
	p.post(t, "mediation-room", med+"/joint-meeting/decisions", map[string]any{"decisions": []map[string]any{{
		"decision": "劳动监察责令限期支付", "owner": "labour-inspection", "due_by": p.now(t).Add(7 * 24 * time.Hour)}}}, c.committee)
	p.resolve(t, c, id, map[string]any{"summary": "公司支付拖欠工资", "obligations": []map[string]any{{
		"obligor": "respondent", "duty": "支付拖欠工资", "amount_fen": 2000000, "manner": "银行转账", "place": "东北街街道",
		"deadline": p.now(t).Add(10 * 24 * time.Hour)}},
		"signatures": []map[string]any{{"signer": "applicant", "signed_at": p.now(t)}, {"signer": "respondent", "signed_at": p.now(t)}, {"signer": "mediator", "signed_at": p.now(t)}}})
	status, text, _ := p.clients["mediation-room"].DoRaw(t, "GET", med+"/agreement?purpose=mediation", nil, p.mediatorOn(t, c, med, ""))
	if status != http.StatusOK || !strings.Contains(string(text), "金额 20000.00 元") || !strings.Contains(string(text), "被申请人应") || strings.Contains(string(text), "yuan") {
		t.Fatalf("the agreement %d:\n%s", status, text)
	}
	p.post(t, "revisit", "/v1/revisits/"+id+".r1.v1/result", map[string]any{"outcome": "stable", "satisfaction": "satisfied"}, c.centre)
	tl := p.timeline(t, c, id, "the loop is closed", func(b map[string]any) bool { return b["stage"] == "closed" })
	if !hasHandoff(tl, events.TypeJointMeetingConvened, "") || !hasHandoff(tl, events.TypeJointMeetingConcluded, "") {
		t.Errorf("the joint meeting is not on the timeline: %v", tl["handoffs"])
	}
	k := p.eventually(t, "supervision", "/v1/counties/"+c.county+"/kpis", c.committee, "the KPIs count it",
		func(k map[string]any) bool { return rate(k, "resolution_rate") > 0 })
	if rate(k, "revisit_rate") != 1 || k["amount_fen"] != float64(2000000) || k["amount_yuan"] != "20000.00" {
		t.Errorf("Suzhou's KPIs %v", k)
	}
	if byCategory, _ := k["amount_fen_by_category"].(map[string]any); byCategory["labour"] != float64(2000000) {
		t.Errorf("Suzhou's amounts by category %v", byCategory)
	}
	month := p.now(t).In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	status, csv, _ := p.clients["supervision"].DoRaw(t, "GET", "/v1/counties/"+c.county+"/statistics?month="+month, nil, c.committee)
	if status != http.StatusOK || !strings.Contains(string(csv), month+","+c.county+",labour,resolved,") || !strings.Contains(string(csv), ",1,2000000\n") {
		t.Errorf("Suzhou's statistics of %s: %d\n%s", month, status, csv)
	}
}

// From the Linxia article: a settled neighbours' dispute in 八坊街道 rebounds at the
// revisit; the police station's intake reopens it, and round 2 gets its own
// slip on Linxia's topics and its own mediation.
func reboundAfterRevisit(t *testing.T, p *platform) {
	c := linxia
	id := p.registerIn(t, c, report{ref: "110-lx-0401", category: "neighbour", summary: "院墙争执",
		phone: "13900000401", applicant: "马六", respondent: "马七"}, http.StatusCreated)
	p.openMediation(t, c, id)
	p.resolve(t, c, id, map[string]any{"summary": "院墙后退 20 厘米", "terms": []string{"月底前拆除越界部分"}})
	p.post(t, "revisit", "/v1/revisits/"+id+".r1.v1/result", map[string]any{"outcome": "rebound", "note": "又起争执"}, c.centre)
	d := p.eventually(t, "intake", "/v1/disputes/"+id, c.officer, "the dispute is reopened", func(b map[string]any) bool { return b["round"] == float64(2) })
	if d["risk_level"] == "low" {
		t.Errorf("a rebound left the dispute at low risk")
	}
	p.eventually(t, "mediation-room", "/v1/mediations/"+id+".r2.m1", c.committee, "round 2 is in mediation", func(b map[string]any) bool { return b["status"] == "open" })
	p.timeline(t, c, id, "supervision sees round 2", func(b map[string]any) bool { return b["round"] == float64(2) && b["stage"] == "in_mediation" })
}

// From the Qingdao article: a high-risk family quarrel with threats in 江苏路街道; nobody
// signs for the jurisdiction copy within Shinan's two hours. Three hours
// later on the platform's clock, the copy has climbed the ladder and the
// committee sees it on the timeline.
func unsignedHighRiskCopy(t *testing.T, p *platform) {
	c := shinan
	id := p.registerIn(t, c, report{ref: "110-sn-0501", category: "marriage_family", summary: "家暴威胁",
		phone: "13900000501", applicant: "周八", respondent: "周九", facts: map[string]any{"threats_of_violence": true}}, http.StatusCreated)
	slip := p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the slip is issued", func(map[string]any) bool { return true })
	if slip["risk_level"] != "high" {
		t.Fatalf("threats of violence graded %v", slip["risk_level"])
	}
	level := copyOf(slip, events.CopyJurisdiction)["level"]
	p.advance(t, 3*time.Hour)
	p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the unsigned copy climbs the ladder",
		func(s map[string]any) bool { return copyOf(s, events.CopyJurisdiction)["level"] != level })
	p.timeline(t, c, id, "the escalation is on the timeline", func(b map[string]any) bool {
		return hasHandoff(b, events.TypeReferralCopyEscalated, "")
	})
	code, _ := slip["case_code"].(string)
	unit := copyOf(slip, events.CopyJurisdiction)["recipient"].(map[string]any)["id"].(string)
	p.eventually(t, "supervision", "/v1/counties/"+c.county+"/kpis", c.committee, "the KPIs list it overdue under its unit", func(k map[string]any) bool {
		units, _ := k["overdue_by_unit"].(map[string]any)
		codes, _ := units[unit].([]any)
		return slices.Contains(codes, any(code))
	})
}

// Qingdao again: Shinan revisits within two weeks of settlement. A
// settled quarrel whose revisit nobody makes is escalated once the two
// weeks have passed on the platform's clock.
func revisitPastTwoWeeks(t *testing.T, p *platform) {
	c := shinan
	id := p.registerIn(t, c, report{ref: "110-sn-0601", category: "property_management", summary: "物业费争执",
		phone: "13900000601", applicant: "吴十", respondent: "某物业公司"}, http.StatusCreated)
	// Shinan sends property-fee quarrels straight to the 三所联调 room.
	if m := p.openMediation(t, c, id); m["tier"] != float64(2) || m["room"].(map[string]any)["id"] != "jsl-sansuo" {
		t.Fatalf("a property-fee quarrel opened at tier %v in %v, want Shinan's 三所联调 room", m["tier"], m["room"])
	}
	p.resolve(t, c, id, map[string]any{"summary": "物业公司减免部分费用", "terms": []string{"本月内完成减免"}})
	rv := p.eventually(t, "revisit", "/v1/revisits/"+id+".r1.v1", c.centre, "the revisit is scheduled", func(b map[string]any) bool { return b["status"] == "scheduled" })
	due := timeOf(t, rv["due_by"])
	p.advance(t, 15*24*time.Hour)
	if now := p.now(t); !now.After(due) {
		t.Fatalf("the clock is at %s, the revisit due %s", now, due)
	}
	p.timeline(t, c, id, "the overdue revisit is escalated", func(b map[string]any) bool { return hasHandoff(b, events.TypeRevisitEscalated, "") })
}

// From the Qingdao article: an inheritance quarrel over a flat in 江苏路街道 goes to the
// judicial office; it is not settled in the village, moves up to the
// station's 三所联调 room after two failed sessions, and is settled a month
// and a half later: the KPIs count it settled, and not on time.
func monthsLongInheritance(t *testing.T, p *platform) {
	c := shinan
	id := p.registerIn(t, c, report{ref: "walkin-sn-0701", category: "housing_homestead", summary: "房产继承纠纷",
		phone: "13900000701", applicant: "郑十一", respondent: "郑十二"}, http.StatusCreated)
	slip := p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the slip is issued", func(map[string]any) bool { return true })
	if to := copyOf(slip, events.CopyJurisdiction)["recipient"].(map[string]any)["id"]; to != "jsl-judicial" {
		t.Fatalf("an inheritance dispute in 江苏路 went to %v, want the judicial office", to)
	}
	m := p.openMediation(t, c, id)
	med := "/v1/mediations/" + id + ".r1.m1"
	record := map[string]any{"focus": "房产份额", "positions": []map[string]any{{"party": "applicant", "position": "平分"}, {"party": "respondent", "position": "按出资"}},
		"opinion": "继续协商", "result": "failed"}
	for range 2 {
		mediator := p.mediatorOn(t, c, med, "")
		m = p.post(t, "mediation-room", med+"/sessions", map[string]any{"starts_at": p.now(t).Add(time.Hour)}, mediator)
		sessions, _ := m["sessions"].([]any)
		m = p.post(t, "mediation-room", fmt.Sprintf("%s/sessions/%d/record", med, len(sessions)), record, mediator)
	}
	if room, _ := m["room"].(map[string]any); m["tier"] != float64(2) || room["id"] != "jsl-sansuo" {
		t.Fatalf("after two failed sessions: tier %v in %v", m["tier"], room)
	}
	// One heir cannot pay a lawyer: the judicial office gives legal aid
	// beside the mediation, which goes on in the same room.
	if m = p.post(t, "mediation-room", med+"/legal-aid", map[string]any{"reason": "申请人经济困难"}, p.mediatorOn(t, c, med, "")); m["status"] != "open" {
		t.Fatalf("legal aid closed the mediation: %v", m["status"])
	}
	p.timeline(t, c, id, "legal aid is on the timeline and the case is still in mediation", func(b map[string]any) bool {
		return b["stage"] == "in_mediation" && hasHandoff(b, events.TypeMediationHandedOff, "与调解同步进行")
	})
	p.advance(t, 45*24*time.Hour)
	p.resolve(t, c, id, map[string]any{"summary": "按出资比例分割房产", "terms": []string{"三十日内办理过户"}})
	k := p.eventually(t, "supervision", "/v1/counties/"+c.county+"/kpis", c.committee, "the late settlement is counted",
		func(k map[string]any) bool {
			r, _ := k["on_time_rate"].(map[string]any)
			return r["denominator"] != nil && r["denominator"].(float64) > r["numerator"].(float64)
		})
	t.Logf("Shinan's KPIs at the end: %v", k)
}

// now is the platform's clock.
func (p *platform) now(t *testing.T) time.Time {
	t.Helper()
	resp, err := http.Get(p.ClockURL + "/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct {
		Now time.Time `json:"now"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c.Now
}

// The issue's own finding: a county code that is no county (123456), and a
// real county without a MediationCenter (Jiuquan city, 620900), are
// refused by name; nothing is recorded for them and no topic of theirs is
// made by the write.
func notATenant(t *testing.T, p *platform) {
	c := linxia
	for _, county := range []string{"123456", "620900"} {
		body := c.registration(report{ref: "110-" + county + "-0001", category: "neighbour", summary: "邻里争执",
			phone: "13900000801", applicant: "陈一", respondent: "陈二"})
		body["county_code"], body["place"] = county, map[string]any{}
		status, problem := p.do(t, "intake", "POST", "/v1/disputes", body, c.officer)
		if status != http.StatusBadRequest || pointer(problem) != "#/county_code" || !strings.Contains(fmt.Sprint(problem), "county "+county) {
			t.Fatalf("a registration in county %s: %d %v", county, status, problem)
		}
		for _, topic := range brokerTopics(t, p) {
			if strings.HasPrefix(topic, "fengqiao.county."+county+".") {
				t.Errorf("the refused registration in %s made topic %s", county, topic)
			}
		}
	}
}

// brokerTopics lists the topics the broker has, without asking for any
// by name (a metadata request naming a topic may create it).
func brokerTopics(t *testing.T, p *platform) []string {
	t.Helper()
	d, err := messaging.Cluster{Brokers: p.Infra.Brokers, Security: admin}.Dialer()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := d.Dial("tcp", p.Infra.Brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, part := range parts {
		if !slices.Contains(out, part.Topic) {
			out = append(out, part.Topic)
		}
	}
	return out
}

// From the Ganzhou article again, but faster: the household calls three
// times within minutes, before anyone has signed for a copy and while the
// mediation may not have opened yet. Whichever reaches the room first, the
// slip or the raise, the mediation runs on the raised risk: the street
// centre's tier, its team, and the high-risk deadlines on the slip.
func repeatCallsBeforeSigning(t *testing.T, p *platform) {
	c := shinan
	first := report{ref: "110-sn-0901", category: "marriage_family", summary: "夫妻争吵", phone: "13900000901", applicant: "钱一", respondent: "钱二"}
	id := p.registerIn(t, c, first, http.StatusCreated)
	for i, ref := range []string{"110-sn-0902", "110-sn-0903"} {
		again := first
		again.ref, again.summary = ref, fmt.Sprintf("夫妻再次争吵（第 %d 次报警）", i+2)
		p.registerIn(t, c, again, http.StatusOK)
	}
	slip := p.eventually(t, "referral", "/v1/slips/"+id+".r1", c.centre, "the slip runs on the raised risk", func(s map[string]any) bool { return s["risk_level"] == "high" })
	for _, cp := range events.Copies() {
		if by, issued := timeOf(t, copyOf(slip, cp)["accept_by"]), timeOf(t, slip["issued_at"]); by.After(issued.Add(2 * time.Hour)) {
			t.Errorf("the %s copy, unsigned, is due %s: later than Shinan's two hours for high risk", cp, by)
		}
	}
	m := p.eventually(t, "mediation-room", "/v1/mediations/"+id+".r1.m1", c.committee, "the mediation runs on the raised risk",
		func(b map[string]any) bool { return b["status"] == "open" && b["risk_level"] == "high" })
	if room, _ := m["room"].(map[string]any); m["tier"] != float64(1) || room["id"] != "jsl-street-centre" {
		t.Fatalf("the mediation sits at tier %v in %v, want the street centre at tier 1", m["tier"], room)
	}
	if team := seated(m); len(team) == 0 {
		t.Errorf("the street centre seated nobody: %v", m["team"])
	}
	p.timeline(t, c, id, "the timeline shows the raised risk", func(b map[string]any) bool {
		return hasHandoff(b, events.TypeDisputeRiskRegraded, "调整为高") || hasHandoff(b, events.TypeDisputeSecondHandling, "调整为高")
	})
}

// Qingdao again, on a Saturday: Shinan keeps a peacemaker of 齐东路社区 on
// the weekend shift (its MediationCenter's roster of shifts) and has its
// own kinds of property-management dispute (its category override). The
// roster says who is on duty, matching prefers them, and intake checks a
// registration against Shinan's own categories, which Linxia does not have.
func weekendRosterAndCategories(t *testing.T, p *platform) {
	c := shinan
	_, cats := p.do(t, "intake", "GET", "/v1/categories", nil, c.officer)
	if v, _ := cats["version"].(string); !strings.HasSuffix(v, "+370202.sn-2026.1") {
		t.Errorf("Shinan's taxonomy is version %q, without its own override", v)
	}
	fees := report{ref: "walkin-sn-1001", category: "property_management", summary: "欠缴物业费争执", phone: "13900001001", applicant: "卫一", respondent: "某物业公司"}
	body := c.registration(fees)
	body["subcategory"] = "fees/arrears"
	if status, d := p.do(t, "intake", "POST", "/v1/disputes", body, c.officer); status != http.StatusCreated {
		t.Fatalf("a registration under Shinan's own category: %d %v", status, d)
	}
	elsewhere := linxia.registration(report{ref: "walkin-lx-1001", category: "property_management", summary: "欠缴物业费争执",
		phone: "13900001002", applicant: "卫二", respondent: "某物业公司"})
	elsewhere["subcategory"] = "fees/arrears"
	if status, problem := p.do(t, "intake", "POST", "/v1/disputes", elsewhere, linxia.officer); status != http.StatusBadRequest || pointer(problem) != "#/subcategory" {
		t.Fatalf("Shinan's own category in Linxia: %d %v", status, problem)
	}

	p.setClock(t, nextSaturday(p.now(t), 10))
	rooms := p.eventually(t, "mediation-room", "/v1/rooms", c.centre, "the roster is Shinan's", func(b map[string]any) bool { return b["from_policy"] == true })
	onDuty := fmt.Sprint(rooms["on_duty_now"])
	if !strings.Contains(onDuty, "sn-qdl-p01") || strings.Contains(onDuty, "sn-qdl-p02") {
		t.Fatalf("on Saturday morning the roster has %s on duty, want the weekend shift's sn-qdl-p01 and not the office-hours sn-qdl-p02", onDuty)
	}
	id := p.registerIn(t, c, report{ref: "110-sn-1002", category: "neighbour", summary: "周末装修噪音争执",
		phone: "13900001003", applicant: "卫三", respondent: "卫四"}, http.StatusCreated)
	if m := p.openMediation(t, c, id); m["tier"] != float64(3) {
		t.Fatalf("a low-risk quarrel opened at tier %v", m["tier"])
	}
	_, proposals := p.do(t, "mediation-room", "GET", "/v1/mediations/"+id+".r1.m1/proposals", nil, p.mediatorOn(t, c, "/v1/mediations/"+id+".r1.m1", ""))
	if !strings.Contains(fmt.Sprint(proposals), "on duty now") {
		t.Errorf("matching on Saturday does not count the weekend shift: %v", proposals)
	}
}

// nextSaturday is the next Saturday at hour o'clock, China Standard Time.
func nextSaturday(now time.Time, hour int) time.Time {
	cst := time.FixedZone("CST", 8*3600)
	local := now.In(cst)
	day := time.Date(local.Year(), local.Month(), local.Day(), hour, 0, 0, 0, cst)
	for day.Weekday() != time.Saturday || !day.After(now) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// setClock moves the platform's clock forward to at.
func (p *platform) setClock(t *testing.T, at time.Time) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"set": at.UTC().Format(time.RFC3339)})
	resp, err := http.Post(p.ClockURL+"/clock", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("setting the clock to %s: %d %s", at, resp.StatusCode, raw)
	}
}
