package supervision_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/testtime"
	"fengqiao.dev/services/supervision"
)

type overdueItem struct {
	CountyCode string    `json:"county_code"`
	Unit       string    `json:"unit"`
	Officer    string    `json:"officer"`
	DisputeID  string    `json:"dispute_id"`
	CaseCode   string    `json:"case_code"`
	What       string    `json:"what"`
	DueBy      time.Time `json:"due_by"`
}

// overdueList reads a whole overdue list, limit items a page.
func (h *harness) overdueList(t *testing.T, path string, who http.Header, limit int) []overdueItem {
	t.Helper()
	var all []overdueItem
	cursor := ""
	for range 20 {
		var page struct {
			Items      []overdueItem `json:"items"`
			NextCursor string        `json:"next_cursor"`
		}
		q := fmt.Sprintf("?limit=%d", limit)
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		if status, _, err := h.get(t, path+q, who, &page); err != nil || status != http.StatusOK {
			t.Fatalf("GET %s%s: %d %v", path, q, status, err)
		}
		if len(page.Items) > limit {
			t.Fatalf("GET %s%s: %d items", path, q, len(page.Items))
		}
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all
		}
	}
	t.Fatalf("%s does not end", path)
	return nil
}

func renderOverdue(items []overdueItem) string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s %s %s %s %s", it.CountyCode, it.Unit, it.CaseCode, it.What, it.DueBy.In(cstZone).Format("01-02T15")))
	}
	return strings.Join(out, " | ")
}

// The overdue lists of a county, a prefecture and a province: every
// obligation past its due time now, the longest overdue first, whatever
// the page size; the ledgers above the counties count each county's,
// unit by unit; no one reads an area not theirs.
func TestOverdueListsAndLedgersAboveTheCounties(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded broker and store")
	}
	now := cst(11, 20, 15)
	h := startWith(t, supervision.Options{Now: func() time.Time { return now }})
	// S1 of Suzhou was registered in August: long past its deadline.
	h.PublishRaw(t, append(ledgerEvents(t), registration(t, "S1", suzhou, cst(8, 3, 9)), registration(t, "Q1", shinan, cst(8, 3, 9)))...)
	h.timelineOf(t, "L1", handoffs(2, "referred"))
	h.timelineOf(t, "L2", handoffs(5, "revisit_scheduled"))
	h.timelineOf(t, "L3", handoffs(5, "revisit_scheduled"))
	testtime.EventuallyNil(t, wait, "Gansu's overdue list holds Suzhou's dispute", func() error {
		var page struct {
			Items []overdueItem `json:"items"`
		}
		if status, _, err := h.get(t, "/v1/provinces/62/overdue", gansu, &page); err != nil || status != http.StatusOK || len(page.Items) != 4 {
			return fmt.Errorf("%d %v %+v", status, err, page.Items)
		}
		return nil
	})

	// At 15:00 on the 20th: L1's settling (high risk, slip of the 10th:
	// three days), L3's revisit (the 19th, 10:00) and L1's copy (12:00
	// today).
	linxiaWant := "622901 gc-1 C-L1 settle 11-13T10 | 622901 gc-2 C-L3 revisit:L3.r1.v1 11-19T10 | 622901 gc-1 C-L1 sign_copy:jurisdiction 11-20T12"
	for _, limit := range []int{1, 2, 50} {
		if got := renderOverdue(h.overdueList(t, "/v1/counties/"+linxia+"/overdue", caller(linxia), limit)); got != linxiaWant {
			t.Errorf("Linxia's overdue list, %d a page:\n got %s\nwant %s", limit, got, linxiaWant)
		}
		if got := renderOverdue(h.overdueList(t, "/v1/prefectures/6229/overdue", linxiaPref, limit)); got != linxiaWant {
			t.Errorf("the prefecture of Linxia's overdue list, %d a page:\n got %s\nwant %s", limit, got, linxiaWant)
		}
	}
	gansuList := h.overdueList(t, "/v1/provinces/62/overdue", gansu, 2)
	if len(gansuList) != 4 || gansuList[0].CountyCode != suzhou || gansuList[0].What != "settle" || renderOverdue(gansuList[1:]) != linxiaWant {
		t.Errorf("Gansu's overdue list: %s", renderOverdue(gansuList))
	}

	var ledger struct {
		Day      string `json:"day"`
		DueToday int    `json:"due_today"`
		Overdue  int    `json:"overdue"`
		Closed   int    `json:"closed"`
		Counties []struct {
			Key      string `json:"key"`
			DueToday int    `json:"due_today"`
			Overdue  int    `json:"overdue"`
			Closed   int    `json:"closed"`
			Units    []struct {
				Key      string `json:"key"`
				DueToday int    `json:"due_today"`
				Overdue  int    `json:"overdue"`
				Closed   int    `json:"closed"`
			} `json:"units"`
		} `json:"counties"`
	}
	if status, _, err := h.get(t, "/v1/provinces/62/ledger?date=2026-11-20", gansu, &ledger); err != nil || status != http.StatusOK {
		t.Fatalf("Gansu's ledger: %d %v", status, err)
	}
	got := fmt.Sprintf("%s %d/%d/%d %+v", ledger.Day, ledger.DueToday, ledger.Overdue, ledger.Closed, ledger.Counties)
	want := "2026-11-20 1/3/1 [{Key:620902 DueToday:0 Overdue:1 Closed:0 Units:[{Key:pcs-620902 DueToday:0 Overdue:1 Closed:0}]} " +
		"{Key:622901 DueToday:1 Overdue:2 Closed:1 Units:[{Key:gc-1 DueToday:1 Overdue:1 Closed:1} {Key:gc-2 DueToday:0 Overdue:1 Closed:0}]}]"
	if got != want {
		t.Errorf("Gansu's ledger of the 20th\n got %s\nwant %s", got, want)
	}
	if status, _, err := h.get(t, "/v1/prefectures/6229/ledger?date=2026-11-20", linxiaPref, &ledger); err != nil || status != http.StatusOK ||
		len(ledger.Counties) != 1 || ledger.Overdue != 2 || ledger.DueToday != 1 || ledger.Closed != 1 {
		t.Errorf("the prefecture of Linxia's ledger: %d %v %+v", status, err, ledger)
	}

	// Linxia's ledger listing only its longest overdue thing: L1's
	// settling on gc-1's line; gc-2 still counts L3's revisit.
	var limited struct {
		Units []struct {
			Key     string `json:"key"`
			Overdue []struct {
				CaseCode string `json:"case_code"`
				What     string `json:"what"`
			} `json:"overdue"`
			OverdueCount int `json:"overdue_count"`
		} `json:"units"`
	}
	// The counts follow the index's writes, as the index follows the case
	// files'.
	testtime.EventuallyNil(t, wait, "Linxia's ledger of its first overdue thing", func() error {
		limited.Units = nil
		if status, _, err := h.get(t, "/v1/counties/"+linxia+"/ledger?date=2026-11-20&overdue_limit=1", caller(linxia), &limited); err != nil || status != http.StatusOK {
			return fmt.Errorf("%d %v", status, err)
		}
		if got, want := fmt.Sprintf("%+v", limited.Units), "[{Key:gc-1 Overdue:[{CaseCode:C-L1 What:settle}] OverdueCount:1} {Key:gc-2 Overdue:[] OverdueCount:1}]"; got != want {
			return fmt.Errorf("\n got %s\nwant %s", got, want)
		}
		return nil
	})
	// The KPIs count the overdue disputes alike, listing them or not.
	var listed, counted struct {
		Overdue       int                 `json:"overdue"`
		OverdueByUnit map[string][]string `json:"overdue_by_unit"`
	}
	if status, _, err := h.get(t, "/v1/counties/"+linxia+"/kpis", caller(linxia), &listed); err != nil || status != http.StatusOK {
		t.Fatalf("Linxia's KPIs: %d %v", status, err)
	}
	if status, _, err := h.get(t, "/v1/counties/"+linxia+"/kpis?overdue_cases=false", caller(linxia), &counted); err != nil || status != http.StatusOK {
		t.Fatalf("Linxia's KPIs, the overdue counted: %d %v", status, err)
	}
	if listed.Overdue != 1 || len(listed.OverdueByUnit["gc-1"]) != 1 || counted.Overdue != listed.Overdue || len(counted.OverdueByUnit) != 0 {
		t.Errorf("Linxia's overdue disputes: listed %+v, counted %+v", listed, counted)
	}

	for _, tc := range []struct {
		path    string
		who     http.Header
		status  int
		pointer string
	}{
		{"/v1/counties/" + linxia + "/ledger?overdue_limit=-1", caller(linxia), http.StatusBadRequest, "query:overdue_limit"},
		{"/v1/counties/" + linxia + "/ledger?overdue_limit=1001", caller(linxia), http.StatusBadRequest, "query:overdue_limit"},
		{"/v1/counties/" + linxia + "/kpis?overdue_cases=no", caller(linxia), http.StatusBadRequest, "query:overdue_cases"},
		{"/v1/counties/" + linxia + "/kpis/unit?overdue_cases=1", caller(linxia), http.StatusBadRequest, "query:overdue_cases"},
		{"/v1/prefectures/6229/overdue", jiuquanPref, http.StatusNotFound, ""},
		{"/v1/provinces/37/overdue", gansu, http.StatusNotFound, ""},
		{"/v1/provinces/62/ledger", shandong, http.StatusNotFound, ""},
		{"/v1/counties/" + linxia + "/overdue", caller(suzhou), http.StatusNotFound, ""},
		{"/v1/counties/" + suzhou + "/overdue", jiuquanPref, http.StatusOK, ""},
		{"/v1/prefectures/6229/ledger", caller(linxia), http.StatusForbidden, ""},
		{"/v1/prefectures/6229/ledger?date=2026-13-01", linxiaPref, http.StatusBadRequest, "query:date"},
		{"/v1/provinces/620/overdue", gansu, http.StatusBadRequest, "path:code"},
		{"/v1/counties/" + linxia + "/overdue?limit=0", caller(linxia), http.StatusBadRequest, "query:limit"},
		{"/v1/counties/" + linxia + "/overdue?cursor=bm90LWEta2V5", caller(linxia), http.StatusBadRequest, "query:cursor"},
	} {
		status, body := h.send(t, "GET", tc.path, "", tc.who)
		if status != tc.status || (tc.pointer != "" && !strings.Contains(body, `"pointer":"`+tc.pointer+`"`)) {
			t.Errorf("GET %s as %s: %d %s, want %d naming %q", tc.path, tc.who.Get(identity.HeaderCounty), status, body, tc.status, tc.pointer)
		}
	}
}
