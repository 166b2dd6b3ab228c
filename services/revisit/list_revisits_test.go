package revisit_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/services/revisit"
)

func revisitIDs(t *testing.T, h *servicetest.Harness, query string) []string {
	t.Helper()
	status, page := h.Do(t, "GET", "/v1/revisits?"+query, nil, centreStaff)
	if status != http.StatusOK {
		t.Fatalf("GET /v1/revisits?%s: %d %v", query, status, page)
	}
	var ids []string
	for _, it := range page["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids
}

func TestRevisitsDuePageByUnitAssigneeAndWindow(t *testing.T) {
	h := servicetest.Start(t, revisit.New)
	settled := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"d-1", "d-2", "d-3"} {
		h.Publish(t, resolved(id, "622901", events.CategoryLabour, events.RiskLow, settled), issued(id))
	}
	h.Await(t, "three revisits scheduled", func() bool {
		return len(revisitIDs(t, h, "")) == 3
	})
	// Each queue of a revisit is written after it, one after the other.
	h.Eventually(t, 10*time.Second, "the centre's three revisits", func() bool {
		return len(revisitIDs(t, h, "unit=gc-622901100")) == 3
	})
	if got := revisitIDs(t, h, "unit=gc-elsewhere"); len(got) != 0 {
		t.Errorf("another unit's revisits: %v", got)
	}

	// Assigned to an officer, one is in the officer's queue.
	if status, p := h.Do(t, "POST", "/v1/revisits/d-2.r1.v1/assign", map[string]any{"officer": "S9"}, centreStaff); status != http.StatusOK {
		t.Fatalf("assign: %d %v", status, p)
	}
	if got := revisitIDs(t, h, "assignee=S9"); strings.Join(got, ",") != "d-2.r1.v1" {
		t.Errorf("S9's revisits: %v", got)
	}

	// A completed one leaves the revisits owed; state=all keeps it.
	if status, p := h.Do(t, "POST", "/v1/revisits/d-1.r1.v1/result", map[string]any{"outcome": "stable"}, centreStaff); status != http.StatusOK {
		t.Fatalf("stable: %d %v", status, p)
	}
	if got := revisitIDs(t, h, ""); len(got) != 2 {
		t.Errorf("owed after one completed: %v", got)
	}
	if got := revisitIDs(t, h, "state=completed"); strings.Join(got, ",") != "d-1.r1.v1" {
		t.Errorf("completed: %v", got)
	}
	all := revisitIDs(t, h, "state=all&limit=1")
	if len(all) != 1 {
		t.Errorf("a page of one: %v", all)
	}

	// All three are due the same time: a window before it holds none.
	var due string
	_, r := h.Do(t, "GET", "/v1/revisits/d-3.r1.v1", nil, centreStaff)
	due, _ = r["due_by"].(string)
	dueAt, err := time.Parse(time.RFC3339, due)
	if err != nil {
		t.Fatalf("due_by %q", due)
	}
	before := url.QueryEscape(dueAt.Format(time.RFC3339))
	after := url.QueryEscape(dueAt.Add(time.Second).Format(time.RFC3339))
	if got := revisitIDs(t, h, "due_before="+before); len(got) != 0 {
		t.Errorf("due before %s: %v", due, got)
	}
	if got := revisitIDs(t, h, "due_after="+before+"&due_before="+after); len(got) != 2 {
		t.Errorf("due at %s: %v", due, got)
	}

	for q, param := range map[string]string{"state=lost": "query:state", "limit=1000": "query:limit", "due_after=soon": "query:due_after", "cursor=Kg": "query:cursor"} {
		status, p := h.Do(t, "GET", "/v1/revisits?"+q, nil, centreStaff)
		if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(p), param) {
			t.Errorf("%s: %d %v", q, status, p)
		}
	}
}
