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
	h.Await(t, "three slips issued", func() bool {
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

// Two clerks read the same slip; the one who signs first wins, and the
// other, conditioning on what they read, is told the slip moved on.
func TestIfMatchStopsAStaleSignature(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	h.Publish(t, registered("d-1", "622901", "622901100"))
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	var etag string
	h.Await(t, "the slip is issued", func() bool {
		status, _, headers := h.DoRaw(t, "GET", "/v1/slips/d-1.r1", nil, centre)
		etag = headers.Get("ETag")
		return status == http.StatusOK
	})
	if etag == "" {
		t.Fatal("no ETag")
	}
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/committee/accept", nil, committee, "If-Match", etag); status != http.StatusOK {
		t.Fatalf("the first signature: %d %v", status, p)
	}
	status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre, "If-Match", etag)
	if status != http.StatusPreconditionFailed || p["type"] != "https://fengqiao.dev/problems/precondition-failed" {
		t.Fatalf("a signature on a stale version: %d %v", status, p)
	}
	// With an Idempotency-Key too, the refusal is the answer kept.
	for range 2 {
		status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre, "If-Match", etag, "Idempotency-Key", "stale-1")
		if status != http.StatusPreconditionFailed {
			t.Fatalf("a keyed signature on a stale version: %d %v", status, p)
		}
	}
	_, _, headers := h.DoRaw(t, "GET", "/v1/slips/d-1.r1", nil, centre)
	if headers.Get("ETag") == "" || headers.Get("ETag") == etag {
		t.Fatalf("ETag after one signature: %q", headers.Get("ETag"))
	}
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/jurisdiction/accept", nil, centre, "If-Match", headers.Get("ETag")); status != http.StatusOK {
		t.Fatalf("a signature on the current version: %d %v", status, p)
	}
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/police/accept", nil, servicetest.Officer("622901"), "If-Match", `"v2", "v3"`); status != http.StatusBadRequest ||
		!strings.Contains(fmt.Sprint(p), "header:If-Match") {
		t.Fatalf("a list of tags: %d %v", status, p)
	}
	// Without If-Match a write is not conditioned.
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/police/accept", nil, servicetest.Officer("622901")); status != http.StatusOK {
		t.Fatalf("an unconditioned signature: %d %v", status, p)
	}
	// A missing slip has no ETag.
	if status, _, headers := h.DoRaw(t, "GET", "/v1/slips/d-9.r1", nil, centre); status != http.StatusNotFound || headers.Get("ETag") != "" {
		t.Fatalf("a missing slip: %d, ETag %q", status, headers.Get("ETag"))
	}
}

// A signature retried with its Idempotency-Key gets the first answer, not
// "already signed"; the key reused for another request is refused.
func TestIdempotencyKeyOnASignature(t *testing.T) {
	h := servicetest.Start(t, referral.New)
	h.Publish(t, registered("d-1", "622901", "622901100"))
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	h.Await(t, "the slip is issued", func() bool {
		status, _ := h.Do(t, "GET", "/v1/slips/d-1.r1", nil, centre)
		return status == http.StatusOK
	})
	accept := "/v1/slips/d-1.r1/copies/jurisdiction/accept"
	status, first, _ := h.DoRaw(t, "POST", accept, nil, centre, "Idempotency-Key", "sign-1")
	if status != http.StatusOK {
		t.Fatalf("the signature: %d %s", status, first)
	}
	status, again, headers := h.DoRaw(t, "POST", accept, nil, centre, "Idempotency-Key", "sign-1")
	if status != http.StatusOK || string(again) != string(first) || headers.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the retry: %d %s %v", status, again, headers)
	}
	if status, _ := h.Do(t, "POST", accept, nil, centre); status != http.StatusConflict {
		t.Fatalf("a second signature without the key: %d", status)
	}
	ret := "/v1/slips/d-1.r1/copies/jurisdiction/return"
	if status, p := h.Do(t, "POST", ret, map[string]any{"reason": "不属本中心"}, centre, "Idempotency-Key", "sign-1"); status != http.StatusUnprocessableEntity {
		t.Fatalf("the key reused for a return: %d %v", status, p)
	}
	// A refusal is an answer too: kept and replayed.
	status, refused, _ := h.DoRaw(t, "POST", ret, map[string]any{"reason": "不属本中心"}, centre, "Idempotency-Key", "ret-1")
	status2, refused2, headers := h.DoRaw(t, "POST", ret, map[string]any{"reason": "不属本中心"}, centre, "Idempotency-Key", "ret-1")
	if status != http.StatusConflict || status2 != status || string(refused2) != string(refused) || headers.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a refused return and its retry: %d %s / %d %s", status, refused, status2, refused2)
	}
	// Another caller's same key is its own.
	other := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	if status, p := h.Do(t, "POST", "/v1/slips/d-1.r1/copies/committee/accept", nil, other, "Idempotency-Key", "sign-1"); status != http.StatusOK {
		t.Fatalf("another caller's key: %d %v", status, p)
	}
}
