package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
)

// TestACrossCountyTransfer: wages owed across a county line. A worker
// reports in Linxia (622901) that an employer of Jiuquan's Suzhou district
// (620902), of the same province, owes the wages; Linxia's committee hands
// the case to Suzhou. Suzhou's copy topics get the three copies and
// Linxia's none more; the case code stays; Suzhou reads the dispute, the
// slip and the timeline, Linxia no longer does; and the two counties' figures count the
// case once, in Suzhou, which holds it (docs/domain.md, "Cross-county
// disputes").
func TestACrossCountyTransfer(t *testing.T) {
	p := storyPlatform(t)
	from, to := linxia, suzhou
	id := p.registerIn(t, from, report{ref: "12345-lx-0901", category: "labour", summary: "外县用工单位拖欠工资",
		phone: "13900000901", applicant: "马九", respondent: "某建筑公司"}, http.StatusCreated)
	_, registered := p.do(t, "intake", "GET", "/v1/disputes/"+id, nil, from.officer)
	caseCode, _ := registered["case_code"].(string)
	if !strings.HasPrefix(caseCode, from.county+"-") {
		t.Fatalf("the case code %q", caseCode)
	}
	slip := "/v1/slips/" + id + ".r1"
	p.eventually(t, "referral", slip, from.committee, "Linxia's slip is issued", func(map[string]any) bool { return true })
	p.eventually(t, "supervision", "/v1/counties/"+from.county+"/kpis", from.committee, "Linxia counts the case",
		func(k map[string]any) bool { return k["registered"] == float64(1) })

	// Only a county of the same province that is a tenant, with a reason.
	for _, bad := range []map[string]any{
		{"to_county_code": shinan.county, "reason": "当事人在青岛"},
		{"to_county_code": "620900", "reason": "酒泉市"},
		{"to_county_code": to.county, "reason": " "},
	} {
		if status, b := p.do(t, "referral", "POST", slip+"/transfer", bad, from.committee); status != http.StatusBadRequest {
			t.Errorf("transfer %v: %d %v, want 400", bad, status, b)
		}
	}
	if status, b := p.do(t, "referral", "POST", slip+"/transfer", map[string]any{"to_county_code": to.county, "reason": "x"}, from.centre); status != http.StatusForbidden {
		t.Errorf("the jurisdiction transferred the slip: %d %v", status, b)
	}

	moved := p.post(t, "referral", slip+"/transfer", map[string]any{
		"to_county_code": to.county, "place": map[string]any{"township_code": to.township, "village_code": to.village},
		"reason": "用工单位在肃州区东北街街道",
	}, from.committee)
	if moved["county_code"] != to.county || moved["case_code"] != caseCode {
		t.Fatalf("the transferred slip: %v", moved)
	}
	if police := copyOf(moved, events.CopyPolice); police["recipient"].(map[string]any)["id"] != "dbj-police" {
		t.Errorf("Suzhou's police copy goes to %v, want the station of 东北街街道", police["recipient"])
	}

	// The receiving county's copy topics get the copy; the sending
	// county's got theirs at issue and nothing since.
	for _, cp := range events.Copies() {
		topic := events.CountyCopyTopic(to.county, cp)
		servicetest.Eventually(t, time.Minute, "Suzhou's "+string(cp)+" copy", func() bool { return onTopic(t, p, topic, id) })
		if n := copiesOf(t, p, events.CountyCopyTopic(from.county, cp), id); n != 1 {
			t.Errorf("Linxia's %s topic holds %d copies of the case, want the 1 of its issue", cp, n)
		}
		if n := copiesOf(t, p, topic, id); n != 1 {
			t.Errorf("Suzhou's %s topic holds %d copies of the case, want 1", cp, n)
		}
	}

	// Suzhou holds the case: its slip, its timeline, with the same case
	// code; Linxia finds neither.
	got := p.eventually(t, "referral", slip, to.committee, "Suzhou reads the slip", func(map[string]any) bool { return true })
	if got["case_code"] != caseCode {
		t.Errorf("Suzhou's slip has case code %v, want %s", got["case_code"], caseCode)
	}
	tl := p.timeline(t, to, id, "Suzhou reads the timeline with the transfer", func(b map[string]any) bool {
		return hasHandoff(b, events.TypeReferralTransferred, "")
	})
	if tl["case_code"] != nil && tl["case_code"] != caseCode {
		t.Errorf("the timeline's case code %v", tl["case_code"])
	}
	// The handoff is traced on its own: the request that sent it started
	// a trace of its own, which the timeline names for the transfer.
	traces := map[string]string{}
	for _, h := range tl["handoffs"].([]any) {
		h := h.(map[string]any)
		traceID, _ := h["trace_id"].(string)
		traces[h["type"].(string)] = traceID
	}
	if sent := traces[events.TypeReferralTransferred]; sent == "" || sent == traces[events.TypeDisputeRegistered] {
		t.Errorf("the transfer's trace %q, the registration's %q: want one of its own", sent, traces[events.TypeDisputeRegistered])
	}
	held := p.eventually(t, "intake", "/v1/disputes/"+id, to.officer, "Suzhou's officer reads the dispute", func(map[string]any) bool { return true })
	if held["case_code"] != caseCode || held["county_code"] != to.county {
		t.Errorf("the dispute in Suzhou: case code %v, county %v", held["case_code"], held["county_code"])
	}
	if status, _ := p.do(t, "intake", "GET", "/v1/disputes/"+id, nil, from.officer); status != http.StatusNotFound {
		t.Errorf("Linxia's officer still reads the dispute: %d", status)
	}
	if status, _ := p.do(t, "referral", "GET", slip, nil, from.committee); status != http.StatusNotFound {
		t.Errorf("Linxia still reads the slip it sent: %d", status)
	}
	if status, _ := p.do(t, "supervision", "GET", "/v1/disputes/"+id+"/timeline", nil, from.committee); status != http.StatusNotFound {
		t.Errorf("Linxia still reads the timeline: %d", status)
	}

	// Counted once, by the county that holds it.
	p.eventually(t, "supervision", "/v1/counties/"+to.county+"/kpis", to.committee, "Suzhou counts the case",
		func(k map[string]any) bool { return k["registered"] == float64(1) })
	p.eventually(t, "supervision", "/v1/counties/"+from.county+"/kpis", from.committee, "Linxia no longer counts it",
		func(k map[string]any) bool { return k["registered"] == float64(0) })
}

// copiesOf counts the records keyed by the dispute on a county copy topic.
func copiesOf(t *testing.T, p *platform, topic, id string) int {
	if servicetest.CountTopicAs(t, p.Infra.Brokers, admin, topic) == 0 {
		return 0
	}
	n := 0
	for _, m := range servicetest.ReadTopicAs(t, p.Infra.Brokers, admin, topic, 1) {
		if string(m.Key) == id {
			n++
		}
	}
	return n
}
