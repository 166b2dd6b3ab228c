package mediationroom_test

import (
	"net/http"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
)

// post sends a request that must succeed and returns the mediation.
func post(t *testing.T, h *servicetest.Harness, path string, body any, caller identity.Caller) map[string]any {
	t.Helper()
	status, got := h.Do(t, "POST", path, body, caller)
	if status != http.StatusOK {
		t.Fatalf("POST %s: %d %v", path, status, got)
	}
	return got
}

func record(result string) map[string]any {
	return map[string]any{
		"focus": "院墙位置",
		"positions": []map[string]any{
			{"party": "applicant", "position": "墙越界 20 厘米"}, {"party": "respondent", "position": "墙在原址"},
		},
		"opinion": "双方各让一步", "result": result,
	}
}

// seat returns the mediator ID in a seat of the mediation's team.
// linxiaCommittee reads every mediation of Linxia, without its text.
var linxiaCommittee = servicetest.Caller("622901", "plc-622901", identity.RoleCommittee, "C1")

// seated waits until the mediation at path is open and returns, as a
// caller, the mediator in its seat (the first seat when seat is ""): only
// the mediators on a mediation's team may address it.
func seated(t *testing.T, h *servicetest.Harness, path, seat string) identity.Caller {
	t.Helper()
	var m map[string]any
	h.Await(t, path+" is open", func() bool {
		status, got := h.Do(t, "GET", path, nil, linxiaCommittee)
		m = got
		return status == http.StatusOK
	})
	for _, member := range m["team"].([]any) {
		if member := member.(map[string]any); seat == "" || member["seat"] == seat {
			return servicetest.Caller("622901", member["agency"].(string), identity.RoleMediator, member["mediator_id"].(string))
		}
	}
	t.Fatalf("no one in seat %q of %s: %v", seat, path, m)
	return identity.Caller{}
}

func seat(m map[string]any, name string) string {
	for _, member := range m["team"].([]any) {
		if member := member.(map[string]any); member["seat"] == name {
			return member["mediator_id"].(string)
		}
	}
	return ""
}
