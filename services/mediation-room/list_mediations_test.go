package mediationroom_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fengqiao.dev/api/events"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	mediationroom "fengqiao.dev/services/mediation-room"
)

func listed(t *testing.T, h *servicetest.Harness, query string, caller identity.Caller) []string {
	t.Helper()
	status, page := h.Do(t, "GET", "/v1/mediations?"+query, nil, caller)
	if status != http.StatusOK {
		t.Fatalf("GET /v1/mediations?%s: %d %v", query, status, page)
	}
	var ids []string
	for _, it := range page["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids
}

func TestAMediatorsMediations(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	h.Publish(t, issued("d-1", events.RiskLow), issued("d-2", events.RiskLow), issued("d-3", events.RiskLow))
	committee := servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")
	h.Await(t, "three mediations open", func() bool {
		return len(listed(t, h, "", committee)) == 3
	})
	post(t, h, "/v1/mediations/d-1.r1.m1/outcome", map[string]any{"result": "failed", "reason": "respondent refuses to attend"}, seated(t, h, "/v1/mediations/d-1.r1.m1", ""))
	if got := listed(t, h, "state=failed", committee); strings.Join(got, ",") != "d-1.r1.m1" {
		t.Errorf("failed: %v", got)
	}
	if got := listed(t, h, "state=open&limit=1", committee); len(got) != 1 {
		t.Errorf("a page of one open: %v", got)
	}

	// A mediator on d-2's team finds it in their own list, and only theirs.
	_, m := h.Do(t, "GET", "/v1/mediations/d-2.r1.m1", nil, committee)
	team, _ := m["team"].([]any)
	if len(team) == 0 {
		t.Fatalf("d-2 has no team: %v", m)
	}
	seated := team[0].(map[string]any)["mediator_id"].(string)
	onTeam := servicetest.Caller("622901", "room-622901100", identity.RoleMediator, seated)
	if got := listed(t, h, "", onTeam); !strings.Contains(strings.Join(got, ","), "d-2.r1.m1") {
		t.Errorf("%s's mediations: %v", seated, got)
	}
	if got := listed(t, h, "mediator="+seated, committee); !strings.Contains(strings.Join(got, ","), "d-2.r1.m1") {
		t.Errorf("the committee's view of %s's mediations: %v", seated, got)
	}
	if got := listed(t, h, "", servicetest.Caller("622901", "room-622901100", identity.RoleMediator, "nobody")); len(got) != 0 {
		t.Errorf("a mediator on no team lists %v", got)
	}
	if status, _ := h.Do(t, "GET", "/v1/mediations?mediator="+seated, nil, servicetest.Caller("622901", "room-622901100", identity.RoleMediator, "other")); status != http.StatusForbidden {
		t.Errorf("a mediator read another's list: %d", status)
	}
	if got := listed(t, h, "", servicetest.Caller("370202", "plc-370202", identity.RoleCommittee, "C2")); len(got) != 0 {
		t.Errorf("another county lists %v", got)
	}
	for q, param := range map[string]string{"state=pending": "query:state", "limit=-1": "query:limit", "cursor=eA": "query:cursor"} {
		status, p := h.Do(t, "GET", "/v1/mediations?"+q, nil, committee)
		if status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(p), param) {
			t.Errorf("%s: %d %v", q, status, p)
		}
	}
}
