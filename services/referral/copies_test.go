package referral_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/referral"
)

func queued(t *testing.T, h *servicetest.Harness, query string, caller identity.Caller) []map[string]any {
	t.Helper()
	status, page := h.Do(t, "GET", "/v1/copies?"+query, nil, caller)
	if status != http.StatusOK {
		t.Fatalf("GET /v1/copies?%s: %d %v", query, status, page)
	}
	var out []map[string]any
	for _, it := range page["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func slipIDs(items []map[string]any) string {
	var ids []string
	for _, it := range items {
		ids = append(ids, it["id"].(string))
	}
	return strings.Join(ids, ",")
}

func TestTheCentresInboxOfCopies(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	for i := 1; i <= 3; i++ {
		h.Publish(t, registered(fmt.Sprintf("d-%d", i), "622901", "622901100"))
	}
	h.Publish(t, registered("d-9", "370202", "370202001"))
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	h.Eventually(t, 30*time.Second, "three slips issued", func() bool {
		return len(queued(t, h, "unit=gc-622901100&state=awaiting", centre)) == 3
	})
	inbox := queued(t, h, "unit=gc-622901100&state=awaiting", centre)
	for _, it := range inbox {
		q := it["queued"].(map[string]any)
		if q["copy"] != "jurisdiction" || q["unit"] != "gc-622901100" || q["state"] != "awaiting" || len(it["copies"].([]any)) != 3 {
			t.Fatalf("an inbox item: %v", it)
		}
	}

	// Signed and returned copies leave the inbox for their own queues.
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre); status != http.StatusOK {
		t.Fatalf("accept: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/slips/d-2.r1/copies/jurisdiction/return", map[string]any{"reason": "不属本中心管辖"}, centre); status != http.StatusOK {
		t.Fatalf("return: %d %v", status, p)
	}
	if got := slipIDs(queued(t, h, "unit=gc-622901100&state=awaiting", centre)); got != "d-3.r1" {
		t.Errorf("awaiting after a signature and a return: %s", got)
	}
	if got := slipIDs(queued(t, h, "unit=gc-622901100&state=signed", centre)); got != "d-1.r1" {
		t.Errorf("signed: %s", got)
	}
	if got := slipIDs(queued(t, h, "unit=gc-622901100&state=returned", centre)); got != "d-2.r1" {
		t.Errorf("returned: %s", got)
	}

	// The county's copies, one at a time, soonest due first, to the end.
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	var dues []string
	cursor := ""
	for range 20 {
		status, page := h.Do(t, "GET", "/v1/copies?limit=1&cursor="+cursor, nil, committee)
		if status != http.StatusOK || len(page["items"].([]any)) > 1 {
			t.Fatalf("a page of one: %d %v", status, page)
		}
		for _, it := range page["items"].([]any) {
			dues = append(dues, it.(map[string]any)["queued"].(map[string]any)["at"].(string))
		}
		if cursor = page["next_cursor"].(string); cursor == "" {
			break
		}
	}
	// Nine copies and one return.
	if len(dues) != 10 {
		t.Fatalf("%d queued copies in the county, want 10", len(dues))
	}
	for i := 1; i < len(dues); i++ {
		a, _ := time.Parse(time.RFC3339Nano, dues[i-1])
		b, _ := time.Parse(time.RFC3339Nano, dues[i])
		if b.Before(a) {
			t.Fatalf("out of order: %v", dues)
		}
	}

	// Nothing is overdue yet; everything is due within a year.
	if got := queued(t, h, "overdue=true", committee); len(got) != 0 {
		t.Errorf("overdue: %s", slipIDs(got))
	}
	yearOn := url.QueryEscape(time.Now().AddDate(1, 0, 0).Format(time.RFC3339))
	if got := queued(t, h, "state=awaiting&due_before="+yearOn, committee); len(got) != 8 {
		t.Errorf("%d awaiting within a year, want 8 (the returned copy awaits its next unit)", len(got))
	}
	if got := queued(t, h, "due_after="+yearOn, committee); len(got) != 0 {
		t.Errorf("due after a year: %s", slipIDs(got))
	}
	if got := queued(t, h, "", servicetest.Officer("370202")); len(got) != 3 {
		t.Errorf("another county's copies: %d", len(got))
	}

	// An agency's system reads its own unit's queue, and only its copies.
	system := servicetest.Caller("622901", "gc-622901100", identity.RoleSystem, "")
	for _, it := range queued(t, h, "", system) {
		if cs := it["copies"].([]any); len(cs) != 1 || it["queued"].(map[string]any)["unit"] != "gc-622901100" {
			t.Fatalf("an agency's system sees %v", it)
		}
	}
	if status, _ := h.Do(t, "GET", "/v1/copies?unit=plc-622901", nil, system); status != http.StatusForbidden {
		t.Errorf("an agency's system read another unit's queue: %d", status)
	}

	for q, param := range map[string]string{
		"limit=500": "query:limit", "cursor=bm9wZQ": "query:cursor", "state=lost": "query:state",
		"overdue=yes": "query:overdue", "due_before=tomorrow": "query:due_before", "due_after=1": "query:due_after",
	} {
		status, p := h.Do(t, "GET", "/v1/copies?"+q, nil, committee)
		if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(p), param) {
			t.Errorf("%s: %d %v", q, status, p)
		}
	}
}
