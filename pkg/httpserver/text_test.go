package httpserver_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every string of a JSON body is checked before a handler sees it: over its
// bound (the service's table, or the default), NUL, invalid UTF-8 and lone
// surrogates are each a 400 problem naming the field, never rewritten.
// Time fields that are not RFC 3339 are named with a human message.
func TestTextAndTimeFieldsAreChecked(t *testing.T) {
	t.Parallel()
	s := start(t)
	for _, tc := range []struct {
		name, body, pointer, detail string
	}{
		{"over the field's bound", `{"name": "一二三四五六"}`, "#/name", "at most 5 characters"},
		{"over a pattern's bound", `{"name": "a", "parties": [{"role": "abc"}, {"role": "abcd"}]}`, "#/parties/1/role", "at most 3"},
		{"over the default bound", `{"place": {"county_code": "` + strings.Repeat("6", 201) + `"}}`, "#/place/county_code", "at most 200"},
		{"NUL", `{"name": "a\u0000b"}`, "#/name", "NUL"},
		{"invalid UTF-8", "{\"name\": \"a\xffb\"}", "#/name", "valid UTF-8"},
		{"invalid UTF-8 in an array element", "{\"parties\": [{\"role\": \"a\"}, {\"role\": \"\xc3\"}]}", "#/parties/1/role", "valid UTF-8"},
		{"lone surrogate", `{"name": "\ud800"}`, "#/name", "valid UTF-8"},
		{"time not RFC 3339", `{"when": "2026-11-23 08:00"}`, "#/when", "RFC 3339"},
		{"time not a string", `{"when": 1732345200}`, "#/when", "RFC 3339"},
		{"time in an array", `{"sessions": [{"starts_at": "2026-11-23T08:00:00+08:00"}, {"starts_at": "明天"}]}`, "#/sessions/1/starts_at", "RFC 3339"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, "POST", "/v1/texts", strings.NewReader(tc.body), with(nil))
			if r.status != http.StatusBadRequest || len(r.problem.Errors) != 1 {
				t.Fatalf("got %d %s, want a 400 problem naming %s", r.status, r.body, tc.pointer)
			}
			if e := r.problem.Errors[0]; e.Pointer != tc.pointer || !strings.Contains(e.Detail, tc.detail) {
				t.Errorf("error %+v, want %s: …%s…", e, tc.pointer, tc.detail)
			}
			if strings.Contains(string(r.body), "parsing time") || strings.Contains(string(r.body), "2006-01-02") {
				t.Errorf("a Go error's text reaches the client: %s", r.body)
			}
		})
	}
	ok := `{"name": "一二三四五", "parties": [{"role": "abc"}], "when": "2026-11-23T08:00:00+08:00"}`
	if r := s.do(t, "POST", "/v1/texts", strings.NewReader(ok), with(nil)); r.status != http.StatusNoContent {
		t.Fatalf("valid text: got %d %s", r.status, r.body)
	}
}
