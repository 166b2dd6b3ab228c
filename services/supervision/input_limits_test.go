package supervision_test

import (
	"encoding/json"
	"net/http"
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
			status, raw := h.send(t, "POST", "/v1/disputes/d-1/urges", body, caller("622901"))
			var p struct {
				Errors []struct{ Pointer string } `json:"errors"`
			}
			if status != http.StatusBadRequest || json.Unmarshal([]byte(raw), &p) != nil || len(p.Errors) != 1 || p.Errors[0].Pointer != "#/comment" {
				t.Fatalf("got %d %.300s, want a 400 naming #/comment", status, raw)
			}
		})
	}
}
