package supervision_test

import (
	"strings"
	"testing"
)

// An urge's comment over its bound, or holding NUL or invalid UTF-8, is a
// 400 problem naming #/comment, refused before the dispute is looked up.
func TestUrgeCommentIsBounded(t *testing.T) {
	h := start(t)
	for name, body := range map[string]string{
		"too long":      `{"comment": "` + strings.Repeat("催", 501) + `"}`,
		"NUL":           `{"comment": "请\u0000尽快"}`,
		"invalid UTF-8": "{\"comment\": \"请\xff尽快\"}",
	} {
		t.Run(name, func(t *testing.T) {
			h.RefusesNaming(t, "/v1/disputes/d-1/urges", body, committeeOf("622901"), "#/comment")
		})
	}
}
