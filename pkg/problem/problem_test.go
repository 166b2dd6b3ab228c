package problem

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestConstructors(t *testing.T) {
	for _, tc := range []struct {
		d      *Details
		status int
		kind   string
	}{
		{Invalid("x"), http.StatusBadRequest, "invalid-request"},
		{NotFound("x"), http.StatusNotFound, "not-found"},
		{Conflict("x"), http.StatusConflict, "conflict"},
		{Unauthenticated("x"), http.StatusUnauthorized, "unauthenticated"},
		{Forbidden("x"), http.StatusForbidden, "forbidden"},
		{Unprocessable("x"), http.StatusUnprocessableEntity, "unprocessable"},
		{Internal(), http.StatusInternalServerError, "internal"},
	} {
		if tc.d.Status != tc.status || tc.d.Type != "https://fengqiao.dev/problems/"+tc.kind || tc.d.Title == "" {
			t.Errorf("%+v: want status %d, type …/%s and a title", tc.d, tc.status, tc.kind)
		}
	}
	if d := Internal().Detail; strings.Contains(d, "%") || d == "" {
		t.Errorf("Internal detail %q", d)
	}
}

func TestField(t *testing.T) {
	for in, want := range map[string]string{
		"county_code":       "#/county_code",
		"/parties/0/role":   "#/parties/0/role",
		"parties/0/role":    "#/parties/0/role",
		"#/place/grid":      "#/place/grid",
		"#":                 "#",
		"header:X-Fengqiao": "#/header:X-Fengqiao", // headers: build the FieldError directly
	} {
		if got := Field(in, "d").Pointer; got != want {
			t.Errorf("Field(%q).Pointer = %q, want %q", in, got, want)
		}
	}
}

func TestDetailsAsErrorAndJSON(t *testing.T) {
	d := Invalid("two fields are wrong", Field("a", "required"), Field("b/0", "too long"))
	if got, want := d.Error(), "400 Invalid request: #/a: required; #/b/0: too long"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := NotFound("dispute d-1").Error(), "404 Not found: dispute d-1"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	b, err := json.Marshal(NotFound("x"))
	if err != nil || strings.Contains(string(b), `"errors"`) || strings.Contains(string(b), `"instance"`) {
		t.Errorf("JSON %s (%v): empty errors and instance must be omitted", b, err)
	}
}
