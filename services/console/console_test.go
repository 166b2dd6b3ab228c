package console

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// These tests run the console's handlers against stand-ins for the
// provider and the services (httptest servers answering as they do), to
// check what the pages make of their answers. The browser test in e2e runs
// it against the real platform.

type fixture struct {
	t        testing.TB
	console  *Console
	upstream *httptest.Server
	key      *rsa.PrivateKey
	now      time.Time
	// intake's answer to a registration, set by a test.
	registration func(body map[string]any) (int, any)
	// referral's copy list and intake's dispute list answers; nil: the
	// route does not exist yet.
	copies, disputes any
	// posted are the bodies the console sent, by path.
	posted map[string]map[string]any
	// answers are mediation-room's and revisit's answers by path.
	answers map[string]json.RawMessage
	// purpose is the purpose the last read of a mediation stated.
	purpose string
	// stagesAsked are the IDs of each call for disputes' stages.
	stagesAsked [][]string
	// kpisAsked is the query of each call for the county's KPIs.
	kpisAsked []url.Values
}

const testCounty = "622901"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, key: key, now: time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC), posted: map[string]map[string]any{},
		answers: maps.Clone(followUps)}
	f.upstream = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.upstream.Close)
	cfg := Config{
		PublicURL: "http://127.0.0.1:8080", Issuer: f.upstream.URL, Audience: "fengqiao", ClientID: DefaultClientID,
		SessionKey: make([]byte, 32),
		Services: Services{Intake: f.upstream.URL, Referral: f.upstream.URL, MediationRoom: f.upstream.URL,
			Revisit: f.upstream.URL, Supervision: f.upstream.URL},
	}
	c, err := New(cfg, Options{Now: func() time.Time { return f.now }, Listener: newNullListener(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	f.console = c
	return f
}

// serve answers as the provider and the services do, for the routes the
// pages call.
func (f *fixture) serve(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		if status >= 400 {
			w.Header().Set("Content-Type", "application/problem+json")
		}
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if strings.HasPrefix(r.URL.Path, "/v1/") && r.Header.Get("Authorization") == "" {
		reply(http.StatusUnauthorized, map[string]any{"status": 401})
		return
	}
	switch {
	case r.URL.Path == "/.well-known/openid-configuration":
		reply(200, map[string]string{"issuer": f.upstream.URL, "authorization_endpoint": f.upstream.URL + "/authorize",
			"token_endpoint": f.upstream.URL + "/oauth/token", "jwks_uri": f.upstream.URL + "/keys"})
	case r.URL.Path == "/oauth/token":
		_ = r.ParseForm()
		if r.Form.Get("grant_type") != "refresh_token" || r.Form.Get("refresh_token") != "rt-1" || r.Form.Get("client_id") != DefaultClientID {
			reply(400, map[string]string{"error": "invalid_grant"})
			return
		}
		reply(200, map[string]any{"access_token": f.token("officer", "bafang-police"), "token_type": "Bearer", "expires_in": 900, "refresh_token": "rt-2"})
	case r.URL.Path == "/keys":
		reply(200, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	case r.URL.Path == "/v1/jurisdiction":
		reply(200, json.RawMessage(`{"county":{"code":"622901","name":"临夏市"},"townships":[{"id":"bafang","code":"622901001","name":"八坊街道",
			"villages":[{"id":"bafang-c1","code":"622901001001","name":"八坊街道第一社区"}]}],
			"agencies":[{"id":"bafang-centre","name":"八坊街道综治中心","kind":"governance_centre"},{"id":"bafang-police","name":"八坊派出所","kind":"police_station"}]}`))
	case r.URL.Path == "/v1/categories":
		reply(200, json.RawMessage(`{"version":"2026.1","categories":[{"code":"neighbour","label":"邻里","children":[{"code":"boundary_wall","label":"院墙地界"}]}]}`))
	case r.URL.Path == "/v1/disputes" && r.Method == http.MethodPost:
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		reply(f.registration(body))
	case r.URL.Path == "/v1/disputes/d-1":
		reply(200, json.RawMessage(`{"id":"d-1","case_code":"622901-2026-000001","status":"registered","round":1,"channel":"alert_110",
			"place":{"county_code":"622901","township_code":"622901001","village_code":"622901001001"},"category":"neighbour","subcategory":"boundary_wall",
			"risk_level":"low","parties":[{"role":"applicant","name":"张三","phone":"13812345678"}],"summary":"院墙争执","narrative":"两户争执",
			"recorded_by":{"kind":"police_station","id":"bafang-police"},"registered_at":"2026-12-03T02:00:00Z"}`))
	case r.URL.Path == "/v1/disputes/d-1/slips":
		reply(200, map[string]any{"slips": []any{map[string]any{"id": "d-1.r1", "dispute_id": "d-1", "case_code": "622901-2026-000001", "round": 1,
			"category": "neighbour", "issued_by": map[string]string{"id": "bafang-police"}, "issued_at": "2026-12-03T02:00:00Z",
			"copies": []any{map[string]any{"copy": "jurisdiction", "recipient": map[string]string{"id": "bafang-centre"},
				"accept_by": "2026-12-04T02:00:00Z", "level": "street_centre"}}}}})
	case r.URL.Path == "/v1/slips/d-1.r1":
		reply(200, map[string]any{"id": "d-1.r1", "dispute_id": "d-1", "case_code": "622901-2026-000001", "category": "neighbour",
			"place": map[string]string{"township_code": "622901001"}, "issued_by": map[string]string{"id": "bafang-police"}, "issued_at": "2026-12-03T00:00:00Z",
			"copies": []any{map[string]any{"copy": "jurisdiction", "recipient": map[string]string{"id": "bafang-centre"}, "accept_by": "2026-12-03T03:00:00Z", "level": "village"}}})
	case r.URL.Path == "/v1/slips/d-1.r1/copies/jurisdiction/return":
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["reason"] == "" {
			reply(400, map[string]any{"status": 400, "title": "Invalid request", "errors": []map[string]string{{"pointer": "#/reason", "detail": "a reason is required"}}})
			return
		}
		reply(200, map[string]any{})
	case r.URL.Path == "/v1/slips/d-1.r1/copies/jurisdiction/accept":
		reply(200, map[string]any{})
	case strings.HasPrefix(r.URL.Path, "/v1/mediations/") || strings.HasPrefix(r.URL.Path, "/v1/revisits/") ||
		r.URL.Path == "/v1/disputes/d-1/mediations" || r.URL.Path == "/v1/disputes/d-1/revisits":
		if r.URL.Path == "/v1/mediations/d-1.r1.m1" {
			f.purpose = r.Header.Get("Fengqiao-Purpose")
		}
		if r.Method == http.MethodPost {
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			f.posted[r.URL.Path] = body
			if fe := refusedField(r.URL.Path, body); fe != "" {
				reply(400, map[string]any{"status": 400, "title": "Invalid request", "errors": []map[string]string{{"pointer": fe, "detail": "refused"}}})
				return
			}
		}
		reply(200, f.answers[r.URL.Path])
	case r.URL.Path == "/v1/disputes/d-1/timeline":
		reply(200, json.RawMessage(`{"dispute_id":"d-1","case_code":"622901-2026-000001","stage":"accepted","round":1,"handoffs":[
			{"type":"referral.copy_accepted","label":"签收","from":{"id":"bafang-police"},"to":{"id":"bafang-centre"},"at":"2026-12-03T03:00:00.000Z",
			"copy":"jurisdiction","round":1,"note":"八坊街道综治中心签收属地联，用时 1 小时"}]}`))
	case r.URL.Path == "/v1/disputes/stages":
		// d-1 is supervision's; any other ID is another county's, left out.
		f.stagesAsked = append(f.stagesAsked, r.URL.Query()["id"])
		stages := []any{}
		if slices.Contains(r.URL.Query()["id"], "d-1") {
			stages = append(stages, json.RawMessage(`{"dispute_id":"d-1","case_code":"622901-2026-000001","stage":"accepted","round":1,
				"next_deadline":{"what":"settle","due_by":"2026-12-10T02:00:00.000Z"}}`))
		}
		reply(200, map[string]any{"disputes": stages})
	case r.URL.Path == "/v1/disputes/d-2/slips", r.URL.Path == "/v1/disputes/other":
		reply(404, map[string]any{"status": 404, "title": "Not found"})
	case r.URL.Path == "/v1/disputes" && r.Method == http.MethodGet:
		if f.disputes == nil || r.URL.Query().Get("station") != "bafang-police" {
			reply(404, map[string]any{"status": 404})
			return
		}
		reply(200, f.disputes)
	case r.URL.Path == "/v1/counties/622901/kpis":
		f.kpisAsked = append(f.kpisAsked, r.URL.Query())
		reply(200, json.RawMessage(`{"county_code":"622901","as_of":"2026-12-03T02:00:00Z","registered":12,"stages":{"closed":3,"registered":2,"in_mediation":7},
			"resolution_rate":{"value":0.75,"numerator":3,"denominator":4},"on_time_rate":{"value":1,"numerator":9,"denominator":9},"time_to_sign":{"hours":5.5},"overdue":1}`))
	case r.URL.Path == "/v1/counties/622901/warnings":
		reply(200, json.RawMessage(`{"month":"2026-12","areas":[{"area":"bafang","score":72,"colour":"red","change":15,"registered":9},{"area":"zheqiao","score":0,"colour":"blue","change":-3}]}`))
	case r.URL.Path == "/v1/copies":
		if f.copies == nil {
			reply(404, map[string]any{"status": 404})
			return
		}
		reply(200, f.copies)
	default:
		reply(404, map[string]any{"status": 404})
	}
}

// token is an access token from the stand-in provider for a person of
// the county.
func (f *fixture) token(role, agency string) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: f.key, KeyID: "k1"}}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: f.upstream.URL, Audience: jwt.Audience{"fengqiao"}, Subject: role + "-" + testCounty,
		Expiry: jwt.NewNumericDate(f.now.Add(15 * time.Minute)), IssuedAt: jwt.NewNumericDate(f.now)}).
		Claims(map[string]any{"county": testCounty, "agency": agency, "role": role, "staff_id": "A1"}).Serialize()
	if err != nil {
		f.t.Fatal(err)
	}
	return raw
}

// signedIn is a session cookie for a person.
func (f *fixture) signedIn(role, agency string) *http.Cookie {
	rec := httptest.NewRecorder()
	if err := f.console.cookies.set(rec, sessionCookie, session{AccessToken: f.token(role, agency), Expiry: f.now.Add(15 * time.Minute)}, time.Hour); err != nil {
		f.t.Fatal(err)
	}
	return rec.Result().Cookies()[0]
}

func (f *fixture) do(method, target string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.console.Handler().ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

func TestAPageWithoutASessionSignsInWithPKCE(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.do("GET", "/disputes/new", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fdisputes%2Fnew" {
		t.Fatalf("without a session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = f.do("GET", "/login?next=%2Fdisputes%2Fnew", nil)
	to, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || to.Path != "/authorize" {
		t.Fatalf("sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := to.Query()
	if q.Get("client_id") != DefaultClientID || q.Get("redirect_uri") != "http://127.0.0.1:8080/callback" ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("response_type") != "code" {
		t.Fatalf("authorization request %v", q)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != signInCookie || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode ||
		strings.Contains(cookies[0].Value, q.Get("state")) {
		t.Fatalf("sign-in cookie %+v: HttpOnly, Lax, sealed", cookies)
	}

	// A callback with another state is refused, and opens no session.
	resp, body := f.do("GET", "/callback?code=x&state=forged", nil, cookies[0])
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "登录请求不匹配") {
		t.Fatalf("forged state: %d %s", resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.MaxAge >= 0 {
			t.Fatalf("a session was opened: %+v", c)
		}
	}
}

func TestASessionCannotBeForgedOrReplayedAsAnother(t *testing.T) {
	f := newFixture(t)
	good := f.signedIn("officer", "bafang-police")
	tampered := *good
	// A character inside the value, not at its end: the last characters of
	// an unpadded base64 text may carry unused bits, so changing them can
	// leave the decoded bytes as they were.
	mid := len(good.Value) / 2
	swapped := byte('A')
	if good.Value[mid] == 'A' {
		swapped = 'B'
	}
	tampered.Value = good.Value[:mid] + string(swapped) + good.Value[mid+1:]
	if resp, _ := f.do("GET", "/", nil, &tampered); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a tampered session: %d", resp.StatusCode)
	}
	asSignIn := *good
	asSignIn.Name = signInCookie
	var in signIn
	if err := f.console.cookies.get(requestWith(&asSignIn), signInCookie, &in); err == nil {
		t.Fatal("a session opened as a sign-in cookie")
	}
	if resp, body := f.do("GET", "/", nil, good); resp.StatusCode != http.StatusOK || !strings.Contains(body, "八坊派出所 · 民警") {
		t.Fatalf("home: %d %s", resp.StatusCode, body)
	}
	// An expired token without a refresh token: sign in again.
	f.now = f.now.Add(time.Hour)
	if resp, _ := f.do("GET", "/", nil, good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an expired session: %d", resp.StatusCode)
	}
}

func requestWith(c *http.Cookie) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	return r
}

// The services' field errors come back next to the fields they name, in
// Chinese, with the form as typed; a party row left empty does not shift
// the rows after it.
func TestRegistrationShowsEachFieldsErrorNextToIt(t *testing.T) {
	f := newFixture(t)
	var sent map[string]any
	f.registration = func(body map[string]any) (int, any) {
		sent = body
		return 400, map[string]any{"type": "https://fengqiao.dev/problems/invalid-request", "status": 400, "title": "Invalid request",
			"errors": []map[string]string{
				{"pointer": "#/parties/1/phone", "detail": "is not a valid mainland mobile or landline number"},
				{"pointer": "#/place/township_code", "detail": "must be a 9-digit township/street code within county 622901"},
			}}
	}
	form := url.Values{"channel": {"alert_110"}, "township": {"622901009"}, "category": {"neighbour/boundary_wall"},
		"party0_role": {"applicant"}, "party0_name": {"张三"}, "party2_role": {"respondent"}, "party2_name": {"李四"}, "party2_phone": {"12345"},
		"summary": {"院墙争执"}, "narrative": {"两户争执"}, "idempotency_key": {"k1"}}
	resp, body := f.do("POST", "/disputes", form, f.signedIn("officer", "bafang-police"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("registration refused: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`aria-describedby="err-parties-2-phone"`, `<p class="field-error" id="err-parties-2-phone">手机号或固定电话号码不正确</p>`,
		`<p class="field-error" id="err-place-township_code">请选择本县的乡镇（街道）</p>`, `value="12345"`, `value="李四"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if sent["category"] != "neighbour" || sent["subcategory"] != "boundary_wall" || sent["county_code"] != testCounty || len(sent["parties"].([]any)) != 2 {
		t.Fatalf("sent %v", sent)
	}

	f.registration = func(map[string]any) (int, any) { return 201, map[string]string{"id": "d-1"} }
	resp, _ = f.do("POST", "/disputes", form, f.signedIn("officer", "bafang-police"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/disputes/d-1?msg=registered" {
		t.Fatalf("registered: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Codes are shown as names and times in Beijing time.
func TestTheDisputePageShowsNamesAndLocalTimes(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do("GET", "/disputes/d-1", nil, f.signedIn("jurisdiction", "bafang-centre"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dispute page: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{"临夏市 八坊街道 八坊街道第一社区", "邻里 / 院墙地界", "110 接处警", "八坊派出所",
		"2026年12月03日 10:00", "属地联", "八坊街道综治中心", "2026年12月04日 10:00", "待签收 · 剩余 24 小时 0 分", `href="/slips/d-1.r1/copies/jurisdiction"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "bafang-centre") || strings.Contains(body, "622901001") {
		t.Error("the page shows a code where a name belongs")
	}
	// Another county's dispute is not there.
	if resp, body := f.do("GET", "/disputes/other", nil, f.signedIn("jurisdiction", "bafang-centre")); resp.StatusCode != http.StatusNotFound ||
		!strings.Contains(body, "不属于本县") {
		t.Fatalf("another county's: %d", resp.StatusCode)
	}
}

// The inbox is built on referral's copy list; until that route exists it
// says so instead of failing.
func TestTheInboxWaitsForTheCopyList(t *testing.T) {
	f := newFixture(t)
	centre := f.signedIn("jurisdiction", "bafang-centre")
	if resp, body := f.do("GET", "/inbox", nil, centre); resp.StatusCode != http.StatusOK || !strings.Contains(body, "待签收列表尚未开通") {
		t.Fatalf("without the list route: %d %s", resp.StatusCode, body)
	}
	f.copies = map[string]any{"total": 1, "next_cursor": "c2", "items": []any{map[string]any{
		"id": "d-1.r1", "dispute_id": "d-1", "case_code": "622901-2026-000001", "issued_at": "2026-12-02T02:00:00Z",
		"copies": []any{
			map[string]any{"copy": "police", "recipient": map[string]string{"id": "pcs-bafang"}, "accept_by": "2026-12-02T04:00:00Z"},
			map[string]any{"copy": "jurisdiction", "recipient": map[string]string{"id": "bafang-centre"}, "accept_by": "2026-12-03T04:00:00Z"},
		},
		"queued": map[string]any{"copy": "jurisdiction", "unit": "bafang-centre", "state": "awaiting", "at": "2026-12-03T04:00:00Z"}}}}
	resp, body := f.do("GET", "/inbox", nil, centre)
	for _, want := range []string{"共 1 件", `class="u-yellow"`, "剩余 2 小时 0 分", `href="/inbox?cursor=c2"`, `href="/slips/d-1.r1/copies/jurisdiction"`} {
		if !strings.Contains(body, want) {
			t.Errorf("%d: the inbox lacks %q", resp.StatusCode, want)
		}
	}
}

func TestRedirectsStayOnTheConsole(t *testing.T) {
	for in, want := range map[string]string{"/disputes/1": "/disputes/1", "//evil.example": "/", "https://evil.example": "/", "/\\evil": "/", "": "/"} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainHTTPIsOnlyForTheLoopback(t *testing.T) {
	for u, ok := range map[string]bool{"http://127.0.0.1:8080": true, "http://localhost:8080": true, "https://console.example.gov.cn": true,
		"http://console.example.gov.cn": false, "": false} {
		if _, err := (Config{PublicURL: u}).secureCookies(); (err == nil) != ok {
			t.Errorf("%q: %v", u, err)
		}
	}
	if secure, _ := (Config{PublicURL: "https://console.example.gov.cn"}).secureCookies(); !secure {
		t.Error("an https console's cookies are not Secure")
	}
}

// The station's cases are built on intake's dispute list, the same way.
func TestTheStationsCasesWaitForTheDisputeList(t *testing.T) {
	f := newFixture(t)
	officer := f.signedIn("officer", "bafang-police")
	if resp, body := f.do("GET", "/cases", nil, officer); resp.StatusCode != http.StatusOK || !strings.Contains(body, "本所案件列表尚未开通") {
		t.Fatalf("without the list route: %d %s", resp.StatusCode, body)
	}
	f.disputes = map[string]any{"total": 1, "items": []any{map[string]any{"id": "d-1", "case_code": "622901-2026-000001", "round": 2,
		"status": "reopened", "category": "neighbour", "place": map[string]string{"township_code": "622901001"}, "registered_at": "2026-12-03T02:00:00Z"}}}
	resp, body := f.do("GET", "/cases", nil, officer)
	for _, want := range []string{"共 1 件", `href="/disputes/d-1"`, "八坊街道", "邻里", "二次处置提醒", "已签收（二次处置）", "2026年12月03日 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("%d: the cases lack %q", resp.StatusCode, want)
		}
	}
}

// The recipient signs or returns its copy; a return without a reason is
// refused next to the reason's field. Two thirds into its time, the
// deadline is blue (past half).
func TestACopyIsSignedOrReturnedWithAReason(t *testing.T) {
	f := newFixture(t)
	centre := f.signedIn("jurisdiction", "bafang-centre")
	resp, body := f.do("GET", "/slips/d-1.r1/copies/jurisdiction", nil, centre)
	for _, want := range []string{`id="sign"`, `id="return"`, `class="u-blue"`, "剩余 1 小时 0 分", "八坊街道综治中心"} {
		if !strings.Contains(body, want) {
			t.Errorf("%d: the copy's page lacks %q", resp.StatusCode, want)
		}
	}
	if _, other := f.do("GET", "/slips/d-1.r1/copies/jurisdiction", nil, f.signedIn("jurisdiction", "zheqiao-centre")); strings.Contains(other, `id="sign"`) {
		t.Error("another centre is offered to sign the copy")
	}
	resp, body = f.do("POST", "/slips/d-1.r1/copies/jurisdiction/return", url.Values{"reason": {""}}, centre)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<p class="field-error" id="err-reason">退单须写明理由</p>`) ||
		!strings.Contains(body, `aria-describedby="err-reason"`) {
		t.Fatalf("a return without a reason: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.do("POST", "/slips/d-1.r1/copies/jurisdiction/accept", url.Values{}, centre)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/slips/d-1.r1/copies/jurisdiction?msg=accepted" {
		t.Fatalf("签收: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// A token about to expire is renewed with its refresh token, without a
// round trip through the sign-in; the renewed session replaces the cookie.
func TestAnExpiringTokenIsRefreshed(t *testing.T) {
	f := newFixture(t)
	rec := httptest.NewRecorder()
	if err := f.console.cookies.set(rec, sessionCookie, session{AccessToken: "expired", RefreshToken: "rt-1", Expiry: f.now.Add(-time.Minute)}, time.Hour); err != nil {
		t.Fatal(err)
	}
	resp, body := f.do("GET", "/", nil, rec.Result().Cookies()[0])
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "八坊派出所 · 民警") {
		t.Fatalf("with a refresh token: %d", resp.StatusCode)
	}
	var renewed session
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			_ = f.console.cookies.get(requestWith(c), sessionCookie, &renewed)
		}
	}
	if renewed.RefreshToken != "rt-2" || !renewed.Expiry.After(f.now) {
		t.Fatalf("the renewed session %+v", renewed)
	}
}

// The committee reads the county's figures, stages in the loop's order
// and the warning index by township with its change, in words.
func TestTheCountyPageNamesItsFiguresAndWarnings(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do("GET", "/county", nil, f.signedIn("committee", "committee"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("county: %d", resp.StatusCode)
	}
	for _, want := range []string{`<strong id="kpi-registered">12</strong>`, "75.0%", "100.0%", "5.5 小时", `<tr class="w-red heat-3"><td>八坊街道</td><td>红色预警</td><td class="score">72</td>`,
		"&#43;15（上升）", "-3（下降）", "截至 2026年12月03日 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the county page lacks %q", want)
		}
	}
	if r, i, c := strings.Index(body, "已登记"), strings.Index(body, "调解中"), strings.Index(body, "已办结"); !(r < i && i < c) {
		t.Error("the stages are not in the loop's order")
	}
	// It shows how many are overdue, linking the overdue list, so it asks
	// for the count alone, not every overdue case's code.
	if !strings.Contains(body, `<strong id="kpi-overdue"><a href="/overdue">1</a></strong>`) {
		t.Error("the county page does not link its overdue count to the overdue list")
	}
	if len(f.kpisAsked) != 1 || f.kpisAsked[0].Get("overdue_cases") != "false" {
		t.Errorf("the county page asked for the KPIs with %v, want overdue_cases=false", f.kpisAsked)
	}
}

// The timeline shows each step's note, which supervision writes in
// Chinese for people, under the step and its units.
func TestTheTimelineShowsEachStepsNote(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do("GET", "/disputes/d-1/timeline", nil, f.signedIn("jurisdiction", "bafang-centre"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("timeline: %d", resp.StatusCode)
	}
	for _, want := range []string{"2026年12月03日 11:00", "签收", "属地联", "八坊派出所 → 八坊街道综治中心",
		`<p class="note">八坊街道综治中心签收属地联，用时 1 小时</p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the timeline lacks %q", want)
		}
	}
}

const (
	testMediation = `{"id":"d-1.r1.m1","dispute_id":"d-1","case_code":"622901-2026-000001","round":1,"tier":2,"category":"neighbour",
		"risk_level":"medium","township":"622901001","jurisdiction":{"id":"bafang-centre"},"room":{"id":"bafang-room","name":"八坊派出所三所联调室"},
		"status":"open","opened_at":"2026-12-03T01:00:00Z",
		"team":[{"seat":"judicial_mediator","mediator_id":"M-07","role":"people_mediator","agency":"bafang-centre"},
			{"seat":"lawyer","mediator_id":"L-02","role":"lawyer","agency":"bafang-centre"}],
		"sessions":[{"no":1,"tier":2,"room":{"id":"bafang-room"},"starts_at":"2026-12-02T06:30:00Z","joint":true,
			"participants":[{"seat":"lawyer","mediator_id":"L-02","role":"lawyer","agency":"bafang-centre"}]}]}`
	testRevisit = `{"id":"d-1.r1.v1","dispute_id":"d-1","round":1,"kind":"first","category":"neighbour","risk_level":"low",
		"revisitor":{"id":"bafang-centre"},"settled_by":{"id":"bafang-room"},"channel":"phone","status":"scheduled",
		"settled_at":"2026-12-02T02:00:00Z","due_by":"2026-12-05T02:00:00Z"}`
)

// followUps are mediation-room's and revisit's answers by path.
var followUps = map[string]json.RawMessage{
	"/v1/disputes/d-1/mediations":                json.RawMessage(`{"mediations":[` + testMediation + `]}`),
	"/v1/disputes/d-1/revisits":                  json.RawMessage(`{"revisits":[` + testRevisit + `]}`),
	"/v1/mediations/d-1.r1.m1":                   json.RawMessage(testMediation),
	"/v1/mediations/d-1.r1.m1/proposals":         json.RawMessage(`{"tier":2,"seats":{"lawyer":[{"mediator_id":"L-02","agency":"bafang-centre","role":"lawyer","score":40,"load":1}]}}`),
	"/v1/mediations/d-1.r1.m1/sessions":          json.RawMessage(testMediation),
	"/v1/mediations/d-1.r1.m1/outcome":           json.RawMessage(testMediation),
	"/v1/mediations/d-1.r1.m1/sessions/1/record": json.RawMessage(testMediation),
	"/v1/revisits/d-1.r1.v1":                     json.RawMessage(testRevisit),
	"/v1/revisits/d-1.r1.v1/result":              json.RawMessage(testRevisit),
}

// refusedField is the field the stand-in services refuse a post for, as
// the real ones would.
func refusedField(path string, body map[string]any) string {
	switch {
	case strings.HasSuffix(path, "/sessions") && body["starts_at"] == nil:
		return "#/starts_at"
	case strings.HasSuffix(path, "/record") && body["focus"] == "":
		return "#/focus"
	case strings.HasSuffix(path, "/outcome") && body["result"] == "resolved" && len(body["agreement"].(map[string]any)["terms"].([]any)) == 0:
		return "#/agreement/terms"
	case strings.HasSuffix(path, "/result") && body["outcome"] == "rebound" && body["note"] == "":
		return "#/note"
	}
	return ""
}

// The dispute's page links to its mediations and revisits, named.
func TestTheDisputePageLinksItsMediationsAndRevisits(t *testing.T) {
	f := newFixture(t)
	_, body := f.do("GET", "/disputes/d-1", nil, f.signedIn("mediator", "bafang-centre"))
	for _, want := range []string{`href="/mediations/d-1.r1.m1"`, "派出所三所联调", "八坊派出所三所联调室", "调解中",
		`href="/revisits/d-1.r1.v1"`, "首次回访", "待回访", "2026年12月05日 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dispute page lacks %q", want)
		}
	}
}

// The mediator's page: team and sessions by name in Beijing time; the
// pending session is recorded, the outcome registered, and a refusal comes
// back next to the field it names, with what was typed kept.
func TestTheMediatorRecordsASessionAndTheOutcome(t *testing.T) {
	f := newFixture(t)
	mediator := f.signedIn("mediator", "bafang-centre")
	resp, body := f.do("GET", "/mediations/d-1.r1.m1", nil, mediator)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mediation page: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{"派出所三所联调", "司法所调解员", "人民调解员", "八坊街道综治中心", "第 1 次调解", "（三所联调）",
		"2026年12月02日 14:30", `action="/mediations/d-1.r1.m1/sessions/1/record"`, `<option value="L-02"`, `id="close"`, "可选调解员"} {
		if !strings.Contains(body, want) {
			t.Errorf("the mediation page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="schedule"`) {
		t.Error("a new session is offered before the pending one is recorded")
	}
	if f.purpose != "" {
		t.Errorf("the page stated the purpose %q unasked", f.purpose)
	}
	// The records' text is read for the mediation only when asked, a read
	// mediation-room records.
	recorded := strings.Replace(testMediation, `"joint":true,`, `"joint":true,"record":{"focus":"院墙位置","opinion":"各让一步","result":"continue"},`, 1)
	f.answers["/v1/mediations/d-1.r1.m1"] = json.RawMessage(recorded)
	if _, body := f.do("GET", "/mediations/d-1.r1.m1", nil, mediator); !strings.Contains(body, `href="/mediations/d-1.r1.m1?purpose=mediation"`) ||
		!strings.Contains(body, "结果：继续调解") {
		t.Error("the page does not offer reading the records for the mediation")
	}
	if _, body := f.do("GET", "/mediations/d-1.r1.m1?purpose=mediation", nil, mediator); f.purpose != "mediation" || !strings.Contains(body, "<dd>院墙位置</dd>") {
		t.Errorf("read for the mediation, the purpose stated is %q", f.purpose)
	}
	f.answers["/v1/mediations/d-1.r1.m1"] = json.RawMessage(testMediation)

	form := url.Values{"focus": {""}, "applicant": {"要求拆除院墙"}, "respondent": {"不同意"}, "opinion": {"双方各让一步"}, "result": {"agreed"}}
	resp, body = f.do("POST", "/mediations/d-1.r1.m1/sessions/1/record", form, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<p class="field-error" id="err-record-focus">请填写争议焦点</p>`) ||
		!strings.Contains(body, `aria-describedby="err-record-focus"`) || !strings.Contains(body, "要求拆除院墙") {
		t.Fatalf("a record without a focus: %d", resp.StatusCode)
	}
	form.Set("focus", "院墙位置")
	form.Set("lawyer_id", "L-02")
	form.Set("legal_basis", "《民法典》第二百八十八条\n")
	resp, _ = f.do("POST", "/mediations/d-1.r1.m1/sessions/1/record", form, mediator)
	sent := f.posted["/v1/mediations/d-1.r1.m1/sessions/1/record"]
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/mediations/d-1.r1.m1?msg=recorded" ||
		sent["result"] != "agreed" || len(sent["positions"].([]any)) != 2 || sent["legal_opinion"].(map[string]any)["lawyer_id"] != "L-02" {
		t.Fatalf("recorded: %d %s, sent %v", resp.StatusCode, resp.Header.Get("Location"), sent)
	}

	outcome := url.Values{"result": {"resolved"}, "summary": {"院墙后移半米"}, "terms": {"  \n"}}
	resp, body = f.do("POST", "/mediations/d-1.r1.m1/outcome", outcome, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-outcome-agreement-terms">请至少填写一条协议条款，每行一条</p>`) ||
		!strings.Contains(body, `value="院墙后移半米"`) {
		t.Fatalf("an agreement without terms: %d", resp.StatusCode)
	}
	outcome.Set("terms", "李四将院墙后移半米\n张三承担一半费用")
	resp, _ = f.do("POST", "/mediations/d-1.r1.m1/outcome", outcome, mediator)
	terms := f.posted["/v1/mediations/d-1.r1.m1/outcome"]["agreement"].(map[string]any)["terms"].([]any)
	if resp.StatusCode != http.StatusSeeOther || len(terms) != 2 {
		t.Fatalf("resolved: %d, terms %v", resp.StatusCode, terms)
	}
}

// A session's time is typed in Beijing time and sent in UTC; none typed,
// the service's refusal shows next to the field.
func TestASessionIsScheduledInBeijingTime(t *testing.T) {
	f := newFixture(t)
	mediator := f.signedIn("mediator", "bafang-centre")
	recorded := strings.Replace(testMediation, `"joint":true,`, `"joint":true,"record":{"focus":"院墙位置","result":"continue"},`, 1)
	f.answers["/v1/mediations/d-1.r1.m1"] = json.RawMessage(recorded)
	resp, body := f.do("POST", "/mediations/d-1.r1.m1/sessions", url.Values{"starts_at": {""}}, mediator)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-schedule-starts_at">请填写调解时间</p>`) {
		t.Fatalf("a session without a time: %d", resp.StatusCode)
	}
	resp, _ = f.do("POST", "/mediations/d-1.r1.m1/sessions", url.Values{"starts_at": {"2026-12-04T09:30"}}, mediator)
	if at := f.posted["/v1/mediations/d-1.r1.m1/sessions"]["starts_at"]; resp.StatusCode != http.StatusSeeOther || at != "2026-12-04T01:30:00Z" {
		t.Fatalf("scheduled: %d, sent %v", resp.StatusCode, at)
	}
}

// The revisit's page names its units and deadline; a rebound without a
// note is refused next to the note, and a stable result is recorded.
func TestTheRevisitIsRecorded(t *testing.T) {
	f := newFixture(t)
	centre := f.signedIn("jurisdiction", "bafang-centre")
	_, body := f.do("GET", "/revisits/d-1.r1.v1", nil, centre)
	for _, want := range []string{"首次回访", "待回访", "八坊街道综治中心", "电话回访", "2026年12月05日 10:00", "剩余 2 天 0 小时",
		`id="outcome-stable"`, `<option value="basically_satisfied"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the revisit page lacks %q", want)
		}
	}
	resp, body := f.do("POST", "/revisits/d-1.r1.v1/result", url.Values{"outcome": {"rebound"}, "satisfaction": {"dissatisfied"}}, centre)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-revisit-note">反弹或部分化解的，须写明仍存在的问题`) ||
		!strings.Contains(body, `value="rebound" id="outcome-rebound" checked`) {
		t.Fatalf("a rebound without a note: %d", resp.StatusCode)
	}
	resp, _ = f.do("POST", "/revisits/d-1.r1.v1/result", url.Values{"outcome": {"stable"}, "satisfaction": {"satisfied"}}, centre)
	if sent := f.posted["/v1/revisits/d-1.r1.v1/result"]; resp.StatusCode != http.StatusSeeOther || sent["outcome"] != "stable" || sent["satisfaction"] != "satisfied" {
		t.Fatalf("recorded: %d, sent %v", resp.StatusCode, sent)
	}
}

// The printable slip: every copy on a page of its own, in names and
// Beijing time, without the parties.
func TestTheSlipPrintsEachCopyOnItsOwnPage(t *testing.T) {
	f := newFixture(t)
	centre := f.signedIn("jurisdiction", "bafang-centre")
	resp, body := f.do("GET", "/slips/d-1.r1/print", nil, centre)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("print: %d", resp.StatusCode)
	}
	for _, want := range []string{`<section class="print-copy" id="print-jurisdiction">`, "第二联 办理联（属地责任单位）", "622901-2026-000001",
		"八坊街道综治中心", "八坊派出所", "临夏市 八坊街道", "邻里", "2026年12月03日 08:00", "2026年12月03日 11:00", "村（社区）调委会", "data-print"} {
		if !strings.Contains(body, want) {
			t.Errorf("the printable slip lacks %q", want)
		}
	}
	if strings.Contains(body, "张三") || strings.Contains(body, "bafang-centre") || strings.Contains(body, "622901001") {
		t.Error("the printable slip shows a party or a code")
	}
	_, css := f.do("GET", "/static/console.css", nil)
	if !strings.Contains(css, ".print-copy { break-after: page;") {
		t.Error("on paper the copies do not break to a page each")
	}
	if _, dispute := f.do("GET", "/disputes/d-1", nil, centre); !strings.Contains(dispute, `href="/slips/d-1.r1/print"`) {
		t.Error("the dispute's page does not link the printable slip")
	}
}
