package mediationroom_test

import (
	"strings"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	mediationroom "fengqiao.dev/services/mediation-room"
)

// Each free text of a mediation's inputs (agreement text and terms, session
// records, objections, decisions, performance notes) over its bound, or
// holding NUL or invalid UTF-8, and a time that is not a time, are 400
// problems naming the field, refused before the mediation is looked up.
func TestMediationInputIsBounded(t *testing.T) {
	h := servicetest.Start(t, mediationroom.New)
	mediator := servicetest.Caller("622901", "room-622901100", identity.RoleMediator, "M1")
	long := func(n int) string { return strings.Repeat("调", n) }
	const m = "/v1/mediations/d-1.r1.m1"
	for _, tc := range []struct{ name, path, body, pointer string }{
		{"agreement summary", m + "/outcome", `{"result": "resolved", "agreement": {"summary": "` + long(501) + `"}}`, "#/agreement/summary"},
		{"agreement term", m + "/outcome", `{"result": "resolved", "agreement": {"summary": "院墙", "terms": ["拆除", "` + long(501) + `"]}}`, "#/agreement/terms/1"},
		{"agreement text", m + "/outcome", `{"result": "resolved", "agreement": {"summary": "院墙", "text": "` + long(10001) + `"}}`, "#/agreement/text"},
		{"NUL in a term", m + "/outcome", `{"result": "resolved", "agreement": {"summary": "院墙", "terms": ["拆\u0000除"]}}`, "#/agreement/terms/0"},
		{"failure reason", m + "/outcome", `{"result": "failed", "reason": "` + long(501) + `"}`, "#/reason"},
		{"session opinion", m + "/sessions/1/record", `{"focus": "院墙", "opinion": "` + long(2001) + `", "result": "agreed"}`, "#/opinion"},
		{"invalid UTF-8 in a position", m + "/sessions/1/record", "{\"focus\": \"院墙\", \"positions\": [{\"party\": \"applicant\", \"position\": \"\xff\"}], \"result\": \"agreed\"}", "#/positions/0/position"},
		{"objection detail", m + "/objections", `{"mediator_id": "M1", "party": "applicant", "reason": "other", "detail": "` + long(501) + `"}`, "#/detail"},
		{"decision", m + "/joint-meeting/decisions", `{"decisions": [{"decision": "` + long(501) + `", "owner": "gc-1", "due_by": "2026-12-01T00:00:00+08:00"}]}`, "#/decisions/0/decision"},
		{"decision due date", m + "/joint-meeting/decisions", `{"decisions": [{"decision": "修缮", "owner": "gc-1", "due_by": "12月1日"}]}`, "#/decisions/0/due_by"},
		{"performance note", m + "/performance", `{"term": 1, "performed": true, "note": "` + long(501) + `"}`, "#/note"},
		{"session start", m + "/sessions", `{"starts_at": "tomorrow"}`, "#/starts_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.RefusesNaming(t, tc.path, tc.body, mediator, tc.pointer)
		})
	}
}
