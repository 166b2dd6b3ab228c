package revisit_test

import (
	"strings"
	"testing"

	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/revisit"
)

// A revisit's note over its bound, or holding NUL or invalid UTF-8, and a
// due date that is not a date, are 400 problems naming the field, refused
// before the revisit is looked up.
func TestRevisitInputIsBounded(t *testing.T) {
	h := servicetest.Start(t, revisit.New)
	centre := servicetest.Caller("622901", "gc-622901100", identity.RoleJurisdiction, "S7")
	for _, tc := range []struct{ name, path, body, pointer string }{
		{"note too long", "/v1/revisits/d-1.r1.v1/result", `{"outcome": "rebound", "note": "` + strings.Repeat("复", 1001) + `"}`, "#/note"},
		{"NUL in the note", "/v1/revisits/d-1.r1.v1/result", `{"outcome": "rebound", "note": "又\u0000吵"}`, "#/note"},
		{"invalid UTF-8 in the note", "/v1/revisits/d-1.r1.v1/result", "{\"outcome\": \"rebound\", \"note\": \"又\xff吵\"}", "#/note"},
		{"officer too long", "/v1/revisits/d-1.r1.v1/assign", `{"officer": "` + strings.Repeat("A", 201) + `"}`, "#/officer"},
		{"due date not a date", "/v1/disputes/d-1/revisits", `{"round": 1, "due_by": "下周一"}`, "#/due_by"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if detail := h.RefusesNaming(t, tc.path, tc.body, centre, tc.pointer); strings.Contains(detail, "parsing time") {
				t.Errorf("a Go error reaches the client: %s", detail)
			}
		})
	}
}
