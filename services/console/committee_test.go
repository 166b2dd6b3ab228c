package console

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/fengqiaoapi"
)

// committeeFixture answers supervision's ledger, overdue list, urge and
// watch-list routes as supervision does, and everything else as the
// shared fixture.
type committeeFixture struct {
	*fixture
	urges   []map[string]any
	watched bool
	sent    []string // method and path of each change the console asked for
	// overdue is the county's overdue list, longest overdue first (nil:
	// overdueAnswer's).
	overdue []map[string]any
	// overdueAsked is the query of each request for the overdue list.
	overdueAsked []url.Values
	// ledgerAsked is the query of each request for the ledger; ledgerOverdue,
	// when set, is how many things the ledger's unit has overdue in all,
	// of which it lists one.
	ledgerAsked   []url.Values
	ledgerOverdue int
}

const ledgerAnswer = `{"day":"2026-12-03","as_of":"2026-12-03T02:00:00Z",
	"units":[{"key":"bafang-centre",
		"due_today":[{"dispute_id":"d-1","case_code":"622901-2026-000001","what":"sign_copy:jurisdiction","due_by":"2026-12-03T01:00:00Z"},
			{"dispute_id":"d-3","case_code":"622901-2026-000003","what":"settle","due_by":"2026-12-03T09:00:00Z"}],
		"overdue":[{"dispute_id":"d-2","case_code":"622901-2026-000002","what":"revisit:r1","due_by":"2026-12-01T08:00:00Z"}],
		"closed":[{"dispute_id":"d-4","case_code":"622901-2026-000004","what":"revisited:stable","at":"2026-12-03T01:30:00Z"}],
		"overdue_count":1}],
	"officers":[{"key":"A1","due_today":[],"overdue":[],"closed":[],"overdue_count":0}]}`

// overdueAnswer is what the county owes past its due time at the
// fixture's now (2026-12-03 02:00 UTC), as ledgerAnswer has it: the
// revisit overdue since the 1st, then the copy due an hour ago; the
// settlement due later today is not yet overdue.
var overdueAnswer = []map[string]any{
	{"county_code": "622901", "unit": "bafang-centre", "officer": "A1", "dispute_id": "d-2", "case_code": "622901-2026-000002", "what": "revisit:r1", "due_by": "2026-12-01T08:00:00Z"},
	{"county_code": "622901", "unit": "bafang-centre", "dispute_id": "d-1", "case_code": "622901-2026-000001", "what": "sign_copy:jurisdiction", "due_by": "2026-12-03T01:00:00Z"},
}

// serveOverdue pages the overdue list as supervision's
// GET /v1/counties/:code/overdue does (httpserver.PageParams and
// NewPage): limit from 1 to 200, 50 by default; an opaque cursor, refused
// naming query:cursor when it is not one the list returned; and never a
// total, which that route does not count.
func (f *committeeFixture) serveOverdue(w http.ResponseWriter, r *http.Request, reply func(int, any)) {
	f.overdueAsked = append(f.overdueAsked, r.URL.Query())
	refuse := func(pointer, detail string) {
		reply(400, map[string]any{"type": "about:blank", "title": "the page cannot be read as asked", "status": 400,
			"errors": []map[string]string{{"pointer": pointer, "detail": detail}}})
	}
	limit, from := 50, 0
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			refuse("query:limit", "must be a whole number from 1 to 200")
			return
		}
		limit = n
	}
	if s := r.URL.Query().Get("cursor"); s != "" {
		key, err := base64.RawURLEncoding.DecodeString(s)
		n, aerr := strconv.Atoi(strings.TrimPrefix(string(key), "after:"))
		if err != nil || aerr != nil || !strings.HasPrefix(string(key), "after:") || n < 1 {
			refuse("query:cursor", "not a cursor this list returned")
			return
		}
		from = n
	}
	list := f.overdue
	if list == nil {
		list = overdueAnswer
	}
	from = min(from, len(list))
	to := min(from+limit, len(list))
	next := ""
	if to < len(list) {
		next = base64.RawURLEncoding.EncodeToString([]byte("after:" + strconv.Itoa(to)))
	}
	items := list[from:to]
	if items == nil {
		items = []map[string]any{}
	}
	reply(200, map[string]any{"items": items, "next_cursor": next})
}

func newCommitteeFixture(t testing.TB) *committeeFixture {
	f := &committeeFixture{fixture: newFixture(t)}
	sup := httptest.NewServer(http.HandlerFunc(f.serveSupervision))
	t.Cleanup(sup.Close)
	f.useSupervision(sup.URL)
	return f
}

// useSupervision points the console's supervision client at url.
func (f *fixture) useSupervision(url string) {
	f.console.cfg.Services.Supervision = url
	api, err := newAPI(f.console.cfg.Services, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	f.console.api = api
}

func (f *committeeFixture) serveSupervision(w http.ResponseWriter, r *http.Request) {
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	if r.Method != http.MethodGet {
		f.sent = append(f.sent, r.Method+" "+r.URL.Path)
	}
	switch {
	case r.URL.Path == "/v1/counties/622901/ledger":
		f.ledgerAsked = append(f.ledgerAsked, r.URL.Query())
		if f.ledgerOverdue > 0 {
			reply(200, json.RawMessage(strings.Replace(ledgerAnswer, `"overdue_count":1`, fmt.Sprintf(`"overdue_count":%d`, f.ledgerOverdue), 1)))
			return
		}
		if d := r.URL.Query().Get("date"); d != "" && d != "2026-12-03" {
			reply(200, json.RawMessage(`{"day":"`+d+`","as_of":"2026-12-03T02:00:00Z","units":[],"officers":[]}`))
			return
		}
		reply(200, json.RawMessage(ledgerAnswer))
	case r.URL.Path == "/v1/counties/622901/overdue":
		f.serveOverdue(w, r, reply)
	case r.URL.Path == "/v1/disputes/d-1/supervision":
		reply(200, map[string]any{"dispute_id": "d-1", "urges": f.urges, "watched": f.watched, "watched_at": "2026-12-03T02:00:00Z"})
	case r.URL.Path == "/v1/disputes/d-1/urges" && r.Method == http.MethodPost:
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if strings.TrimSpace(body["comment"]) == "" {
			reply(400, map[string]any{"status": 400, "title": "Invalid request", "errors": []map[string]string{{"pointer": "#/comment", "detail": "an urge needs a comment"}}})
			return
		}
		f.urges = append(f.urges, map[string]any{"id": "u1", "comment": body["comment"], "at": "2026-12-03T02:00:00Z"})
		reply(201, f.urges[len(f.urges)-1])
	case r.URL.Path == "/v1/disputes/d-1/urges/u1/read":
		f.urges[0]["read_at"] = "2026-12-03T03:00:00Z"
		reply(200, map[string]any{})
	case r.URL.Path == "/v1/watchlist/d-1":
		f.watched = r.Method == http.MethodPut
		reply(200, map[string]any{})
	case r.URL.Path == "/v1/watchlist":
		var list []any
		if f.watched {
			list = append(list, map[string]any{"dispute_id": "d-1", "watched": true, "watched_at": "2026-12-03T02:00:00Z", "urges": f.urges})
		}
		reply(200, map[string]any{"disputes": list})
	default:
		f.fixture.serve(w, r)
	}
}

func TestLedgerWhatNamesEachKindOfItem(t *testing.T) {
	for what, want := range map[string]string{
		"sign_copy:jurisdiction": "签收属地联（综治中心/司法所）", "signed:committee": "已签收政法委联（督办）",
		"settle": "化解纠纷", "settled": "调解成功", "revisit:r1": "回访", "revisited:rebound": "已回访：反弹",
		"closed:legal_aid": "办结（转法律援助）", "something_new": "something_new",
	} {
		if got := ledgerWhat(what); got != want {
			t.Errorf("ledgerWhat(%q) = %q, want %q", what, got, want)
		}
	}
}

func TestTheLedgerNamesUnitsAndItemsInBeijingTime(t *testing.T) {
	f := newCommitteeFixture(t)
	resp, body := f.do(http.MethodGet, "/ledger", nil, f.signedIn("committee", "linxia-committee"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ledger: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{"八坊街道综治中心", "签收属地联", "超期 · ", "2026年12月01日 16:00", "已回访：稳定", `href="/ledger.csv?date=2026-12-03"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the ledger lacks %q", want)
		}
	}
	if strings.Contains(body, ">bafang-centre<") {
		t.Error("the ledger shows a unit's code")
	}
}

// The ledger page lists the county's first overdue things, the longest
// overdue first, and counts them all by unit, pointing to the overdue
// list for the rest; the CSV export lists every one.
func TestTheLedgerListsTheFirstOverdueThingsAndCountsThemAll(t *testing.T) {
	f := newCommitteeFixture(t)
	cookie := f.signedIn("committee", "linxia-committee")
	resp, body := f.do(http.MethodGet, "/ledger", nil, cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ledger: %d\n%s", resp.StatusCode, body)
	}
	if len(f.ledgerAsked) != 1 || f.ledgerAsked[0].Get("overdue_limit") != strconv.Itoa(ledgerOverdueLimit) {
		t.Errorf("the ledger page asked with %v, want overdue_limit=%d", f.ledgerAsked, ledgerOverdueLimit)
	}
	if strings.Contains(body, `id="ledger-more"`) || strings.Contains(body, "另有") {
		t.Error("a ledger listing every overdue thing says more are not listed")
	}

	f.ledgerOverdue = 3001
	_, body = f.do(http.MethodGet, "/ledger", nil, cookie)
	for _, want := range []string{`<td class="late">3001</td>`, "超期事项共 3001 项", "最久的 1 项", "另有 3000 项超期未在此列出", `<a href="/overdue">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the ledger of 3,001 overdue things lacks %q", want)
		}
	}
	if c := strings.Count(body, "超期 · "); c != 1 {
		t.Errorf("the ledger lists %d overdue things, want the one supervision listed", c)
	}

	f.ledgerAsked = nil
	if resp, _ := f.do(http.MethodGet, "/ledger.csv?date=2026-12-03", nil, cookie); resp.StatusCode != http.StatusOK {
		t.Fatalf("ledger CSV: %d", resp.StatusCode)
	}
	if len(f.ledgerAsked) != 1 || f.ledgerAsked[0].Has("overdue_limit") {
		t.Errorf("the CSV export asked for the ledger with %v, want every overdue thing", f.ledgerAsked)
	}
}

func TestABadLedgerDateIsRefusedNextToItsField(t *testing.T) {
	f := newCommitteeFixture(t)
	resp, body := f.do(http.MethodGet, "/ledger?date=yesterday", nil, f.signedIn("committee", "linxia-committee"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-date"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("a bad date: %d\n%s", resp.StatusCode, body)
	}
}

func TestTheOverdueListHasWhatIsPastItsDeadlineLongestFirst(t *testing.T) {
	f := newCommitteeFixture(t) // now: 2026-12-03 02:00 UTC
	_, body := f.do(http.MethodGet, "/overdue", nil, f.signedIn("committee", "linxia-committee"))
	revisit, sign := strings.Index(body, "622901-2026-000002"), strings.Index(body, "622901-2026-000001")
	if revisit < 0 || sign < 0 || revisit > sign {
		t.Fatalf("the overdue list should hold the revisit overdue since the 1st, then the copy due an hour ago:\n%s", body)
	}
	for _, want := range []string{"本页 2 项", "八坊街道综治中心", "回访", "签收属地联（综治中心/司法所）",
		"2026年12月01日 16:00", `href="/disputes/d-2/supervision"`, `href="/overdue.csv"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the overdue list lacks %q", want)
		}
	}
	if strings.Contains(body, ">bafang-centre<") || strings.Contains(body, "下一页") || strings.Contains(body, "共 ") {
		t.Errorf("the overdue list shows a unit's code, a next page or a total supervision did not give:\n%s", body)
	}
	if len(f.overdueAsked) != 1 || f.overdueAsked[0].Get("limit") != "50" || f.overdueAsked[0].Get("cursor") != "" {
		t.Errorf("the page should ask supervision for its first 50, asked %v", f.overdueAsked)
	}
}

// manyOverdue is a county's overdue list of n items, longest overdue first.
func manyOverdue(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"county_code": "622901", "unit": "bafang-centre", "dispute_id": fmt.Sprintf("d-%d", i),
			"case_code": fmt.Sprintf("622901-2026-%06d", i), "what": "settle",
			"due_by": time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)}
	}
	return out
}

func TestTheOverdueListPagesThroughSupervisionsList(t *testing.T) {
	f := newCommitteeFixture(t)
	f.overdue = manyOverdue(120)
	cookie := f.signedIn("committee", "linxia-committee")
	next := regexp.MustCompile(`<a id="overdue-next" href="(/overdue\?cursor=[^"]+)">下一页</a>`)
	path, seen := "/overdue", 0
	for _, want := range []int{50, 50, 20} {
		resp, body := f.do(http.MethodGet, path, nil, cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, resp.StatusCode, body)
		}
		if rows := strings.Count(body, `<tr class="u-red">`); rows != want || !strings.Contains(body, fmt.Sprintf("本页 %d 项", want)) {
			t.Fatalf("%s should show %d items, shows %d:\n%s", path, want, rows, body)
		}
		if first := fmt.Sprintf("622901-2026-%06d<", seen); !strings.Contains(body, first) {
			t.Errorf("%s should begin with item %d", path, seen)
		}
		seen += want
		m := next.FindStringSubmatch(body)
		if seen < 120 && m == nil {
			t.Fatalf("%s has no link to the next page:\n%s", path, body)
		}
		if seen == 120 && m != nil {
			t.Errorf("the last page links to %s", m[1])
		}
		if m != nil {
			path = html.UnescapeString(m[1])
		}
	}
}

func TestAnOverduePageSupervisionCannotReadIsRefused(t *testing.T) {
	f := newCommitteeFixture(t)
	resp, body := f.do(http.MethodGet, "/overdue?cursor=bm90LWEta2V5", nil, f.signedIn("committee", "linxia-committee"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "请从第一页重新查看") || !strings.Contains(body, `href="/overdue"`) {
		t.Fatalf("a cursor supervision refuses: %d\n%s", resp.StatusCode, body)
	}
}

func TestTheOverdueCSVHoldsEveryPageUpToItsBound(t *testing.T) {
	for _, tc := range []struct {
		name         string
		stored, rows int
		cut          bool
	}{
		{"a list of several pages", 450, 450, false},
		{"a list past the bound", overdueCSVMax + 50, overdueCSVMax, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newCommitteeFixture(t)
			f.overdue = manyOverdue(tc.stored)
			resp, body := f.do(http.MethodGet, "/overdue.csv", nil, f.signedIn("committee", "linxia-committee"))
			rows := readCSV(t, resp, body)
			want := 1 + tc.rows
			if tc.cut {
				want++
			}
			if len(rows) != want {
				t.Fatalf("%d rows, want %d", len(rows), want)
			}
			if got := rows[tc.rows][0]; got != fmt.Sprintf("622901-2026-%06d", tc.rows-1) {
				t.Errorf("the last item's row begins %q", got)
			}
			last := rows[len(rows)-1][0]
			if cut := strings.Contains(last, "仅导出"); cut != tc.cut {
				t.Errorf("the last line %q says the list was cut: %v, want %v", last, cut, tc.cut)
			}
			for _, q := range f.overdueAsked {
				if q.Get("limit") != "200" {
					t.Fatalf("the export asked for pages of %q, not the largest", q.Get("limit"))
				}
			}
		})
	}
}

// readCSV checks the BOM Excel needs and reads the rows after it.
func readCSV(t *testing.T, resp *http.Response, body string) [][]string {
	t.Helper()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Fatalf("CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("the CSV is not offered as a download: %q", resp.Header.Get("Content-Disposition"))
	}
	rest, ok := strings.CutPrefix(body, "\xef\xbb\xbf")
	if !ok {
		t.Fatal("the CSV does not begin with the UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTheLedgerAndTheOverdueListExportAsCSVForExcel(t *testing.T) {
	f := newCommitteeFixture(t)
	cookie := f.signedIn("committee", "linxia-committee")
	resp, body := f.do(http.MethodGet, "/ledger.csv?date=2026-12-03", nil, cookie)
	rows := readCSV(t, resp, body)
	if len(rows) != 5 || rows[0][1] != "责任单位" {
		t.Fatalf("ledger CSV: %q", rows)
	}
	if got := strings.Join(rows[3], "|"); got != "2026-12-03|八坊街道综治中心|超期|622901-2026-000002|回访|2026-12-01 16:00|" {
		t.Errorf("the overdue revisit's row reads %q", got)
	}
	resp, body = f.do(http.MethodGet, "/overdue.csv", nil, cookie)
	rows = readCSV(t, resp, body)
	if len(rows) != 3 || rows[1][0] != "622901-2026-000002" || rows[2][2] != "签收属地联（综治中心/司法所）" {
		t.Fatalf("overdue CSV: %q", rows)
	}
}

func TestTheCommitteeUrgesACaseWithACommentAndWatchesIt(t *testing.T) {
	f := newCommitteeFixture(t)
	cookie := f.signedIn("committee", "linxia-committee")

	resp, body := f.do(http.MethodPost, "/disputes/d-1/urges", url.Values{"comment": {"  "}}, cookie)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-comment"`) || !strings.Contains(body, "督办意见须填写") {
		t.Fatalf("an empty comment: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = f.do(http.MethodPost, "/disputes/d-1/urges", url.Values{"comment": {"请于本周内上门化解"}}, cookie)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/disputes/d-1/supervision?msg=urged" {
		t.Fatalf("urging: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = f.do(http.MethodPost, "/disputes/d-1/watch", url.Values{"watch": {"on"}}, cookie)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("watching: %d", resp.StatusCode)
	}
	_, body = f.do(http.MethodGet, "/disputes/d-1/supervision?msg=urged", nil, cookie)
	for _, want := range []string{"请于本周内上门化解", "责任单位未阅", "已列入关注清单", `id="unwatch"`, "已签收"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case's supervision lacks %q", want)
		}
	}
	_, body = f.do(http.MethodGet, "/watchlist", nil, cookie)
	if !strings.Contains(body, `href="/disputes/d-1/supervision"`) {
		t.Fatalf("the watch list lacks the case:\n%s", body)
	}
	resp, _ = f.do(http.MethodPost, "/disputes/d-1/watch", url.Values{"watch": {"off"}, "back": {"watchlist"}}, cookie)
	if resp.Header.Get("Location") != "/watchlist?msg=unwatched" || f.watched {
		t.Fatalf("taking it off: %s, watched %v", resp.Header.Get("Location"), f.watched)
	}
	want := []string{"POST /v1/disputes/d-1/urges", "POST /v1/disputes/d-1/urges", "PUT /v1/watchlist/d-1", "DELETE /v1/watchlist/d-1"}
	if strings.Join(f.sent, ",") != strings.Join(want, ",") {
		t.Errorf("the console asked supervision for %q", f.sent)
	}
}

func TestTheResponsibleUnitReadsAnUrgeButCannotUrge(t *testing.T) {
	f := newCommitteeFixture(t)
	f.urges = []map[string]any{{"id": "u1", "comment": "请加快", "at": "2026-12-03T02:00:00Z"}}
	cookie := f.signedIn("jurisdiction", "bafang-centre")
	_, body := f.do(http.MethodGet, "/disputes/d-1/supervision", nil, cookie)
	if strings.Contains(body, `id="send-urge"`) || strings.Contains(body, `id="watch"`) {
		t.Error("the centre is offered the committee's forms")
	}
	resp, _ := f.do(http.MethodPost, "/disputes/d-1/urges/u1/read", nil, cookie)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reading the urge: %d", resp.StatusCode)
	}
	_, body = f.do(http.MethodGet, "/disputes/d-1/supervision", nil, cookie)
	if !strings.Contains(body, "责任单位已阅（2026年12月03日 11:00）") {
		t.Fatalf("the read receipt is not shown:\n%s", body)
	}
}

func TestTheCountyPageEmbedsItsChartsFiguresAndShowsThemAsTables(t *testing.T) {
	f := newCommitteeFixture(t)
	resp, body := f.do(http.MethodGet, "/county", nil, f.signedIn("committee", "linxia-committee"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("county: %d", resp.StatusCode)
	}
	for _, want := range []string{`src="/static/vendor/echarts/echarts.min.js"`, `class="w-red heat-3"`, "&#43;15（上升）", "-3（下降）", "<td>调解成功率</td><td>75.0%</td><td>—</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the county page lacks %q", want)
		}
	}
	start := strings.Index(body, `<script type="application/json" id="county-charts">`)
	if start < 0 {
		t.Fatal("the page embeds no chart figures")
	}
	raw := body[start+len(`<script type="application/json" id="county-charts">`):]
	raw = raw[:strings.Index(raw, "</script>")]
	var charts countyCharts
	if err := json.Unmarshal([]byte(raw), &charts); err != nil {
		t.Fatalf("the chart figures are not JSON: %v\n%s", err, raw)
	}
	if len(charts.Areas) != 2 || charts.Areas[0].Name != "八坊街道" || charts.Areas[0].Score != 72 || charts.Rates[0].Value != 75 {
		t.Errorf("chart figures: %+v", charts)
	}
}

func TestTheRatesTableShowsTargetsAsPercentages(t *testing.T) {
	target := 0.9
	p := countyPage{KPIs: fengqiaoapi.CountyKPIs{ResolutionRate: fengqiaoapi.TargetRate{Value: 0.756, Target: &target}}}
	rates := p.Rates()
	if got := rates[0]; got.Name != "调解成功率" || got.Value != 75.6 || got.TargetText() != "90.0%" {
		t.Errorf("resolution rate: %+v, target %q", got, got.TargetText())
	}
	if got := rates[1].TargetText(); got != "—" {
		t.Errorf("a rate without a target shows %q", got)
	}
}

// The supervisor (督察) reads the watch list; only the committee keeps it.
func TestTheSupervisorReadsTheWatchListWithoutChangingIt(t *testing.T) {
	f := newCommitteeFixture(t)
	f.watched = true
	_, body := f.do(http.MethodGet, "/watchlist", nil, f.signedIn("supervisor", "inspectorate"))
	if !strings.Contains(body, `href="/disputes/d-1/supervision"`) || strings.Contains(body, `value="off"`) {
		t.Fatalf("the supervisor's watch list:\n%s", body)
	}
}
