package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/fengqiaoapi"
	"fengqiao.dev/api/kafkaacl"
	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
)

const county = "622901" // Linxia city

// The loop's people, as the provider's sample users of the county.
var (
	officer   = sampleUser(identity.RoleOfficer, county)
	centre    = sampleUser(identity.RoleJurisdiction, county)
	committee = sampleUser(identity.RoleCommittee, county)
)

// agency is how county's agency of kind c logs in to read its copies: as
// its own principal, which may read that topic and no other. A platform
// started without county policies has no agency principals (devstack
// creates them with a county's topics); there the copies are read as the
// superuser.
func agency(p *devstack.Platform, county string, c events.Copy) config.KafkaSecurity {
	if !slices.Contains(p.Counties, county) {
		return admin
	}
	return p.KafkaUser(kafkaacl.AgencyPrincipal(county, c)).Security()
}

// platform starts the whole platform for one test.
type platform struct {
	*devstack.Platform
	clients map[string]*servicetest.Harness
	stop    func() // stops the platform now; also registered as a cleanup
}

func start(t *testing.T, dataDir string, policyDir ...string) *platform {
	t.Helper()
	// The store `make run` uses (FENGQIAO_STORE overrides it, as there).
	backend, err := devstack.DefaultStoreBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{DataDir: dataDir, PolicyDir: strings.Join(policyDir, ""), StoreBackend: backend,
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

func (p *platform) do(t *testing.T, service, method, path string, body any, caller identity.Caller) (int, map[string]any) {
	t.Helper()
	return p.clients[service].Do(t, method, path, body, caller)
}

// eventually polls a GET until check accepts the body.
func (p *platform) eventually(t *testing.T, service, path string, caller identity.Caller, what string, check func(map[string]any) bool) map[string]any {
	t.Helper()
	var body map[string]any
	servicetest.Eventually(t, 60*time.Second, what, func() bool {
		status, b := p.do(t, service, "GET", path, nil, caller)
		body = b
		return status == http.StatusOK && check(b)
	})
	return body
}

func registration(summary string) map[string]any {
	return map[string]any{
		"channel": "alert_110", "external_ref": "110-" + summary, "county_code": county,
		"place":    map[string]any{"township_code": "622901100", "village_code": "622901100001"},
		"category": "marriage_family",
		"parties": []map[string]any{
			{"role": "applicant", "name": "马秀英", "id_number": "11010519491231002X", "phone": "13912345678"},
			{"role": "respondent", "name": "马明"},
		},
		"summary": summary, "narrative": "夫妻因家庭开支争吵，邻居报警。",
	}
}

// api is the client generated from the OpenAPI document, calling a
// service as caller; every request and answer is checked against the
// document as the harness checks its own.
func (p *platform) api(t *testing.T, service string, caller identity.Caller) *fengqiaoapi.ClientWithResponses {
	t.Helper()
	client, err := fengqiaoapi.NewClientWithResponses(p.URLs[service],
		fengqiaoapi.WithHTTPClient(servicetest.ContractChecked(t, &http.Client{Timeout: 30 * time.Second})),
		fengqiaoapi.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
			token, err := sessions.bearer(p.IdP.Issuer, caller)
			if err != nil {
				return fmt.Errorf("cannot log in as %s: %w", userName(caller), err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// register records a family dispute in Linxia through the generated client.
func (p *platform) register(t *testing.T, summary string) string {
	t.Helper()
	phone, idNumber, ref := "13912345678", "11010519491231002X", "110-"+summary
	resp, err := p.api(t, "intake", officer).RegisterDisputeWithResponse(context.Background(), nil, fengqiaoapi.Registration{
		Channel: "alert_110", ExternalRef: &ref, CountyCode: county,
		Place:    fengqiaoapi.Place{TownshipCode: new("622901100"), VillageCode: new("622901100001")},
		Category: "marriage_family",
		Parties: []fengqiaoapi.PartyInput{
			{Role: "applicant", Name: "马秀英", IdNumber: &idNumber, Phone: &phone},
			{Role: "respondent", Name: "马明"},
		},
		Summary: summary, Narrative: new("夫妻因家庭开支争吵，邻居报警。"),
	})
	if err != nil || resp.JSON201 == nil {
		t.Fatalf("register: %v %d %s", err, statusOf(resp), bodyOf(resp))
	}
	return resp.JSON201.Id
}

// settle takes a dispute's current round from its slip to a recorded
// revisit, through the generated client.
func (p *platform) settle(t *testing.T, id string, round int, revisitResult fengqiaoapi.RevisitResult) {
	t.Helper()
	ctx := context.Background()
	slip := fmt.Sprintf("%s.r%d", id, round)
	referral := p.api(t, "referral", centre)
	servicetest.Eventually(t, 60*time.Second, "slip "+slip+" is issued", func() bool {
		resp, err := referral.GetSlipWithResponse(ctx, slip)
		return err == nil && resp.JSON200 != nil
	})
	for _, signer := range []struct {
		copy   string
		caller identity.Caller
	}{{"jurisdiction", centre}, {"committee", committee}} {
		resp, err := p.api(t, "referral", signer.caller).AcceptCopyWithResponse(ctx, slip, signer.copy, nil)
		if err != nil || resp.JSON200 == nil {
			t.Fatalf("accept the %s copy: %v %d %s", signer.copy, err, statusOf(resp), bodyOf(resp))
		}
	}
	med := slip + ".m1"
	// The centre that owns the case records it: a county without a policy
	// seats its default roster, whose mediators are no sample users.
	mediations := p.api(t, "mediation-room", centre)
	servicetest.Eventually(t, 60*time.Second, "mediation "+med+" is open", func() bool {
		resp, err := mediations.GetMediationWithResponse(ctx, med)
		return err == nil && resp.JSON200 != nil && resp.JSON200.Status == "open"
	})
	outcome := fengqiaoapi.Outcome{Result: "resolved", Agreement: &fengqiaoapi.Agreement{
		Summary: "双方同意分开管理家庭开支", Terms: &[]string{"每月 5 日前共同核对开支"}}}
	if resp, err := mediations.RecordOutcomeWithResponse(ctx, med, nil, outcome); err != nil || resp.JSON200 == nil {
		t.Fatalf("outcome: %v %d %s", err, statusOf(resp), bodyOf(resp))
	}
	rv := slip + ".v1"
	revisits := p.api(t, "revisit", centre)
	servicetest.Eventually(t, 60*time.Second, "revisit "+rv+" is scheduled", func() bool {
		resp, err := revisits.GetRevisitWithResponse(ctx, rv)
		return err == nil && resp.JSON200 != nil && resp.JSON200.Status == "scheduled"
	})
	if resp, err := revisits.RecordRevisitResultWithResponse(ctx, rv, nil, revisitResult); err != nil || resp.JSON200 == nil {
		t.Fatalf("revisit: %v %d %s", err, statusOf(resp), bodyOf(resp))
	}
}

// bodyOf is a generated response's body, for a failure's message.
func bodyOf(resp interface{ GetBody() []byte }) string {
	if resp == nil || reflect.ValueOf(resp).IsNil() {
		return ""
	}
	return string(resp.GetBody())
}

func TestOneDisputeThroughTheWholeLoop(t *testing.T) {
	p := start(t, "")
	id := p.register(t, "家庭纠纷")

	// An outside agency reads its county's copy topics with a plain consumer.
	for _, cp := range events.Copies() {
		msgs := servicetest.ReadTopicAs(t, p.Infra.Brokers, agency(p.Platform, county, cp), events.CountyCopyTopic(county, cp), 1)
		var c events.ReferralCopyIssued
		if err := json.Unmarshal(msgs[0].Value, &c); err != nil || c.DisputeID != id || c.Copy != cp {
			t.Fatalf("%s copy: %+v (%v)", cp, c, err)
		}
		// No copy names anyone or carries the summary; only the
		// jurisdiction copy lists the parties, by label (docs/privacy.md).
		for _, clear := range []string{"马", "家庭纠纷", "邻居报警"} {
			if strings.Contains(string(msgs[0].Value), clear) {
				t.Fatalf("%s copy carries %q: %s", cp, clear, msgs[0].Value)
			}
		}
		if (cp == events.CopyJurisdiction) != (len(c.Parties) == 2) {
			t.Fatalf("%s copy parties %v", cp, c.Parties)
		}
	}

	p.settle(t, id, 1, fengqiaoapi.RevisitResult{Outcome: "stable"})

	wantHandoffs := []struct{ typ, from, to string }{
		{events.TypeDisputeRegistered, officer.Agency, officer.Agency},
		{events.TypeReferralIssued, officer.Agency, "gc-622901100"},
		{events.TypeReferralCopyAccepted, officer.Agency, "gc-622901100"},
		{events.TypeReferralCopyAccepted, officer.Agency, "plc-622901"},
		{events.TypeMediationOpened, "gc-622901100", "room-622901100"},
		{events.TypeMediatorsAssigned, "room-622901100", "room-622901100"}, // the team matched at opening
		{events.TypeMediationResolved, "room-622901100", "gc-622901100"},
		{events.TypeRevisitScheduled, "room-622901100", "gc-622901100"},
		// Family disputes are rebound-prone: two extra revisits.
		{events.TypeRevisitScheduled, "room-622901100", "gc-622901100"},
		{events.TypeRevisitScheduled, "room-622901100", "gc-622901100"},
		{events.TypeRevisitCompleted, "gc-622901100", "plc-622901"},
	}
	// The extra revisits' "scheduled" come through another consumer group
	// than the completion, so it may reach supervision after the loop is
	// closed: wait for both.
	timeline := p.eventually(t, "supervision", "/v1/disputes/"+id+"/timeline", committee, "the loop is closed and every handoff is in", func(b map[string]any) bool {
		handoffs, _ := b["handoffs"].([]any)
		return b["stage"] == "closed" && len(handoffs) >= len(wantHandoffs)
	})
	// The room opens the mediation as soon as the slip is issued, while the
	// copies are signed for on their own clocks: those handoffs may come in
	// either order, so the timeline is checked as sorted and complete.
	handoffs := timeline["handoffs"].([]any)
	if len(handoffs) != len(wantHandoffs) {
		t.Fatalf("timeline has %d handoffs, want %d: %v", len(handoffs), len(wantHandoffs), handoffs)
	}
	missing := map[string]int{}
	for _, w := range wantHandoffs {
		missing[w.typ+" "+w.from+"→"+w.to]++
	}
	previous := ""
	for _, h := range handoffs {
		h := h.(map[string]any)
		missing[fmt.Sprintf("%s %s→%s", h["type"], agencyID(h["from"]), agencyID(h["to"]))]--
		at, _ := h["at"].(string)
		if at < previous {
			t.Errorf("the timeline is not in time order at %v", h)
		}
		previous = at
	}
	for handoff, n := range missing {
		if n != 0 {
			t.Errorf("handoff %s: %+d in the timeline", handoff, -n)
		}
	}
	if first := handoffs[0].(map[string]any)["type"]; first != events.TypeDisputeRegistered {
		t.Errorf("the timeline starts with %v", first)
	}
	// The extra revisit is scheduled by a write of its own, which may come
	// after the first revisit was recorded: the loop ends with the
	// completion, give or take that scheduling.
	last := handoffs[len(handoffs)-1].(map[string]any)["type"]
	for i := len(handoffs) - 1; i > 0 && last == events.TypeRevisitScheduled; i-- {
		last = handoffs[i-1].(map[string]any)["type"]
	}
	if last != events.TypeRevisitCompleted {
		t.Errorf("the timeline ends with %v", last)
	}

	kpis := p.eventually(t, "supervision", "/v1/counties/"+county+"/kpis", committee, "the KPIs count the dispute", func(b map[string]any) bool {
		return b["registered"] == float64(1)
	})
	if rate(kpis, "resolution_rate") != 1 || rate(kpis, "revisit_rate") != 1 {
		t.Fatalf("KPIs %v", kpis)
	}
}

func TestReboundReopensTheDisputeForASecondRound(t *testing.T) {
	p := start(t, "")
	id := p.register(t, "反弹纠纷")
	p.settle(t, id, 1, fengqiaoapi.RevisitResult{Outcome: "rebound", Note: new("又因开支争吵")})

	d := p.eventually(t, "intake", "/v1/disputes/"+id, officer, "the dispute is reopened", func(b map[string]any) bool { return b["round"] == float64(2) })
	if d["status"] != "reopened" || d["risk_level"] != "high" {
		t.Fatalf("reopened dispute %v", d)
	}
	// Round 2 gets its own slip, copies and mediation.
	p.eventually(t, "mediation-room", "/v1/mediations/"+id+".r2.m1", centre, "round 2 is in mediation", func(b map[string]any) bool { return b["status"] == "open" })
	p.eventually(t, "supervision", "/v1/disputes/"+id+"/timeline", committee, "supervision sees round 2", func(b map[string]any) bool {
		return b["round"] == float64(2) && b["stage"] == "in_mediation"
	})
	for _, cp := range events.Copies() {
		servicetest.ReadTopicAs(t, p.Infra.Brokers, agency(p.Platform, county, cp), events.CountyCopyTopic(county, cp), 2)
	}
	// An SRE sees the county's open dispute on supervision's gauge.
	servicetest.Eventually(t, 30*time.Second, "supervision's /metrics counts the open dispute", func() bool {
		for _, line := range strings.Split(scrape(t, p.URLs["supervision"]), "\n") {
			if strings.HasPrefix(line, "fengqiao_items_open{") && strings.Contains(line, `fengqiao_county_code="622901"`) && strings.HasSuffix(line, "} 1") {
				return true
			}
		}
		return false
	})
}

func scrape(t *testing.T, baseURL string) string {
	t.Helper()
	resp, err := http.Get(baseURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestDisputesSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	first := start(t, dir)
	id := first.register(t, "重启前登记")
	first.eventually(t, "referral", "/v1/slips/"+id+".r1", officer, "the slip is issued", func(map[string]any) bool { return true })
	first.stop() // now, not at cleanup: the second platform opens the same data

	second := start(t, dir)
	d := second.eventually(t, "intake", "/v1/disputes/"+id+"?purpose=handle_case", officer, "the dispute is still there", func(map[string]any) bool { return true })
	if d["summary"] != "重启前登记" {
		t.Fatalf("after restart: %v", d)
	}
	// The broker kept its records and the consumers their offsets: nothing
	// is issued twice.
	if n := servicetest.CountTopicAs(t, second.Infra.Brokers, admin, events.CountyCopyTopic(county, events.CopyPolice)); n != 1 {
		t.Fatalf("the police copy topic holds %d slips after a restart, want 1", n)
	}
}

func agencyID(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["id"].(string)
	return s
}

func rate(kpis map[string]any, name string) float64 {
	r, _ := kpis[name].(map[string]any)
	v, _ := r["value"].(float64)
	return v
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(p))
	return len(p), nil
}
