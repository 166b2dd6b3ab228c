package supervision_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/supervision"
)

const (
	suzhou = "620902" // Jiuquan's Suzhou district: Gansu, another prefecture
	shinan = "370202" // Qingdao's Shinan district: another province
)

var (
	gansu        = header(identity.Caller{County: "620000", Agency: "gansu-plc", Role: identity.RoleProvince, Officer: "P1"})
	shandong     = header(identity.Caller{County: "370000", Agency: "shandong-plc", Role: identity.RoleProvince, Officer: "P1"})
	linxiaPref   = header(identity.Caller{County: "622900", Agency: "linxia-plc", Role: identity.RolePrefecture, Officer: "M1"})
	jiuquanPref  = header(identity.Caller{County: "620900", Agency: "jiuquan-plc", Role: identity.RolePrefecture, Officer: "M1"})
	monthOfCases = "2026-11"
)

// registration is a dispute of another county, registered in November.
func registration(t *testing.T, id, county string, at time.Time) messaging.Message {
	place := events.Place{CountyCode: county, TownshipCode: county + "100"}
	police := events.Agency{Kind: events.AgencyPoliceStation, ID: "pcs-" + county}
	return servicetest.Message(t, "intake", &events.DisputeRegistered{Subject: subject(id, county), Handoff: events.Handoff{From: police, To: police},
		CaseCode: "C-" + id, Round: 1, Channel: events.ChannelAlert110, Place: place, Category: events.CategoryLabour, RiskLevel: events.RiskLow,
		Parties: []events.PartySummary{{Role: events.PartyApplicant, MaskedName: "当事人甲"}}, RegisteredAt: at}, at)
}

// The figures above the counties: Linxia's three disputes, one of Suzhou
// (Gansu, another prefecture) and one of Shinan (Shandong). A prefecture
// of one county has that county's figures; the province adds its counties
// up and lists each, and scores each in its warning index; the statistics export of the province holds each
// county's lines, in code order, as the county's own export does, in CSV and in XLSX; and
// no one reads an area not theirs.
func TestFiguresAboveTheCounties(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	now := cst(11, 20, 15)
	h := startWith(t, supervision.Options{Now: func() time.Time { return now }})
	h.PublishRaw(t, append(ledgerEvents(t), registration(t, "S1", suzhou, cst(11, 3, 9)), registration(t, "Q1", shinan, cst(11, 3, 9)))...)
	h.timelineOf(t, "L1", handoffs(2, "referred"))
	h.timelineOf(t, "L2", handoffs(5, "revisit_scheduled"))
	h.timelineOf(t, "L3", handoffs(5, "revisit_scheduled"))
	var province map[string]any
	testtime.EventuallyNil(t, wait, "Gansu's figures count its four disputes", func() error {
		status, _, err := h.get(t, "/v1/provinces/62/kpis", gansu, &province)
		if err != nil || status != http.StatusOK || province["registered"] != float64(4) {
			return fmt.Errorf("%d %v %v", status, err, province)
		}
		return nil
	})
	// The county's figures are counted from its sums, written after the
	// case file: read the two levels until the sums have caught up.
	var county map[string]any
	testtime.EventuallyNil(t, wait, "the prefecture of Linxia alone has Linxia's figures", func() error {
		var prefecture map[string]any
		county = nil
		if status, _, err := h.get(t, "/v1/counties/"+linxia+"/kpis", gansu, &county); err != nil || status != http.StatusOK {
			t.Fatalf("Gansu reads Linxia's figures: %d %v", status, err)
		}
		if status, _, err := h.get(t, "/v1/prefectures/6229/kpis", linxiaPref, &prefecture); err != nil || status != http.StatusOK {
			t.Fatalf("Linxia prefecture reads its figures: %d %v", status, err)
		}
		var differ []string
		for _, field := range []string{"registered", "stages", "resolution_rate", "on_time_rate", "time_to_sign", "revisit_rate",
			"rebound_rate", "satisfaction_rate", "time_to_settle", "amount_fen", "amount_fen_by_category", "overdue"} {
			got, want := fmt.Sprint(prefecture[field]), fmt.Sprint(county[field])
			if field == "resolution_rate" || field == "revisit_rate" {
				got, want = fmt.Sprint(without(prefecture[field], "target")), fmt.Sprint(without(county[field], "target"))
			}
			if got != want {
				differ = append(differ, fmt.Sprintf("%s %s, Linxia's %s", field, got, want))
			}
		}
		if status, _, err := h.get(t, "/v1/provinces/62/kpis", gansu, &province); err != nil || status != http.StatusOK {
			t.Fatalf("Gansu reads its figures: %d %v", status, err)
		}
		if province["overdue"] != county["overdue"] {
			differ = append(differ, fmt.Sprintf("Gansu's overdue %v, Linxia's (Suzhou's dispute is not due yet) %v", province["overdue"], county["overdue"]))
		}
		if len(differ) > 0 {
			return fmt.Errorf("%s", strings.Join(differ, "; "))
		}
		return nil
	})
	counties, _ := province["counties"].([]any)
	if len(counties) != 2 || fmt.Sprintf("%v %v", counties[0].(map[string]any)["county_code"], counties[1].(map[string]any)["county_code"]) != suzhou+" "+linxia {
		t.Errorf("Gansu's counties %v, want Suzhou and Linxia, in code order", counties)
	}

	t.Run("the province's warning index scores each county whole", func(t *testing.T) {
		var got struct {
			Month    string `json:"month"`
			Counties []struct {
				Level      string `json:"level"`
				Area       string `json:"area"`
				Registered int    `json:"registered"`
				Components []struct {
					Name  string `json:"name"`
					Count int    `json:"count"`
				} `json:"components"`
			} `json:"counties"`
		}
		if status, _, err := h.get(t, "/v1/provinces/62/warnings", gansu, &got); err != nil || status != http.StatusOK {
			t.Fatalf("Gansu's warnings: %d %v", status, err)
		}
		registered := map[string]int{}
		for _, w := range got.Counties {
			registered[w.Area] = w.Registered
			if w.Level != "county" || len(w.Components) != 5 {
				t.Errorf("%s scored %+v", w.Area, w)
			}
			if w.Area == linxia && (w.Components[2].Name != "overdue" || float64(w.Components[2].Count) != county["overdue"]) {
				t.Errorf("Linxia's overdue component %+v, its overdue disputes now %v", w.Components[2], county["overdue"])
			}
		}
		// November's registrations: L1 and L2 in Linxia (L3 is October's), S1 in Suzhou.
		if got.Month != monthOfCases || len(got.Counties) != 2 || registered[linxia] != 2 || registered[suzhou] != 1 {
			t.Errorf("Gansu's warning index of %s: %+v", got.Month, got.Counties)
		}
	})

	t.Run("no one reads an area not theirs", func(t *testing.T) {
		for _, tc := range []struct {
			path    string
			who     http.Header
			status  int
			pointer string
		}{
			{"/v1/provinces/37/kpis", gansu, http.StatusNotFound, ""},
			{"/v1/provinces/62/kpis", shandong, http.StatusNotFound, ""},
			{"/v1/prefectures/6209/kpis", linxiaPref, http.StatusNotFound, ""},
			{"/v1/prefectures/6229/warnings", jiuquanPref, http.StatusNotFound, ""},
			{"/v1/provinces/62/warnings?month=11-2026", gansu, http.StatusBadRequest, "query:month"},
			{"/v1/provinces/62/kpis", linxiaPref, http.StatusNotFound, ""},
			{"/v1/counties/" + shinan + "/kpis", gansu, http.StatusNotFound, ""},
			{"/v1/counties/" + linxia + "/ledger", jiuquanPref, http.StatusNotFound, ""},
			{"/v1/counties/" + suzhou + "/kpis", jiuquanPref, http.StatusOK, ""},
			{"/v1/provinces/620000/kpis", gansu, http.StatusBadRequest, "path:code"},
			{"/v1/prefectures/62/statistics?month=2026-11", gansu, http.StatusBadRequest, "path:code"},
			{"/v1/provinces/62/statistics", gansu, http.StatusBadRequest, "query:month"},
			{"/v1/provinces/62/statistics?month=2026-11&format=pdf", gansu, http.StatusBadRequest, "query:format"},
		} {
			status, body := h.send(t, "GET", tc.path, "", tc.who)
			if status != tc.status || (tc.pointer != "" && !strings.Contains(body, `"pointer":"`+tc.pointer+`"`)) {
				t.Errorf("GET %s as %s: %d %s, want %d naming %q", tc.path, tc.who.Get(identity.HeaderCounty), status, body, tc.status, tc.pointer)
			}
		}
	})

	t.Run("the province's statistics hold each county's lines", func(t *testing.T) {
		_, linxiaCSV := h.send(t, "GET", "/v1/counties/"+linxia+"/statistics?month="+monthOfCases, "", caller(linxia))
		_, suzhouCSV := h.send(t, "GET", "/v1/counties/"+suzhou+"/statistics?month="+monthOfCases, "", gansu)
		status, provinceCSV := h.send(t, "GET", "/v1/provinces/62/statistics?month="+monthOfCases, "", gansu)
		wantLines := strings.Split(strings.TrimSpace(suzhouCSV), "\n")
		wantLines = append(wantLines, strings.Split(strings.TrimSpace(linxiaCSV), "\n")[1:]...)
		if status != http.StatusOK || strings.TrimSpace(provinceCSV) != strings.Join(wantLines, "\n") {
			t.Fatalf("Gansu's statistics (%d) are not Suzhou's then Linxia's:\n%s", status, provinceCSV)
		}
		if !strings.Contains(linxiaCSV, "2026-11,622901,neighbour,in_progress,none,1,0\n") || !strings.Contains(suzhouCSV, "2026-11,620902,labour,in_progress,none,1,0\n") {
			t.Fatalf("the counties' statistics:\n%s\n%s", linxiaCSV, suzhouCSV)
		}
		xlsx := h.raw(t, "/v1/provinces/62/statistics?month="+monthOfCases, gansu, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		book, err := excelize.OpenReader(strings.NewReader(xlsx))
		if err != nil {
			t.Fatalf("the XLSX does not open: %v", err)
		}
		defer func() { _ = book.Close() }()
		rows, err := book.GetRows("人民调解统计")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(wantLines) {
			t.Fatalf("the sheet has %d rows, the CSV %d", len(rows), len(wantLines))
		}
		for i, line := range wantLines {
			if got := strings.Join(rows[i], ","); got != line {
				t.Errorf("row %d of the sheet %q, of the CSV %q", i+1, got, line)
			}
		}
		if v, _ := book.GetCellValue("人民调解统计", "A1"); v != "月份" {
			t.Errorf("A1 = %q, want 月份", v)
		}
		if typ, _ := book.GetCellType("人民调解统计", "F2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("the count column is of type %v, want numbers", typ)
		}
	})
}

// without is a JSON object without one of its fields.
func without(v any, field string) map[string]any {
	m, _ := v.(map[string]any)
	out := map[string]any{}
	for k, x := range m {
		if k != field {
			out[k] = x
		}
	}
	return out
}

// raw fetches path accepting accept, and checks the answer says it is so.
func (h *harness) raw(t *testing.T, path string, who http.Header, accept string) string {
	t.Helper()
	// Not through the kit: its contract check decodes JSON answers only,
	// and these are CSV and XLSX.
	who = who.Clone()
	who.Set("Accept", accept)
	req, err := http.NewRequest(http.MethodGet, h.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = who
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != accept {
		t.Fatalf("GET %s accepting %s: %d %s, %v", path, accept, resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	return b.String()
}
