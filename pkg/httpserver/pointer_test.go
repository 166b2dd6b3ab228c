package httpserver

import (
	"strings"
	"testing"
)

func TestValuePointerAt(t *testing.T) {
	const body = `{"a": [1, {"b/c": "x", "d~": {"e": [true, [null, 7]]}}], "f": {}}`
	for _, tc := range []struct {
		endsWith string // the value ending at the offset, located in body
		want     string
	}{
		{`1`, "#/a/0"},
		{`"x"`, "#/a/1/b~1c"},
		{`true`, "#/a/1/d~0/e/0"},
		{`7`, "#/a/1/d~0/e/1/1"},
		{`"f": {`, "#/f"}, // just past the "{" of an object value
		{`{"a": [`, "#/a"},
	} {
		offset := int64(strings.Index(body, tc.endsWith) + len(tc.endsWith))
		if got, ok := valuePointerAt([]byte(body), offset); !ok || got != tc.want {
			t.Errorf("value ending at %d (%s) = %q, %v; want %q", offset, tc.endsWith, got, ok, tc.want)
		}
	}
	if got, ok := valuePointerAt([]byte(`[1]`), 1); !ok || got != "#" {
		t.Errorf("the root = %q, %v; want #", got, ok)
	}
}

func TestKeyPointer(t *testing.T) {
	const body = `{"parties": [{"role": "a"}, {"role": "b", "extra": 1}], "extra2": {"x/y": 0}}`
	for name, want := range map[string]string{"extra": "#/parties/1/extra", "extra2": "#/extra2", "x/y": "#/extra2/x~1y"} {
		if got, ok := keyPointer([]byte(body), name); !ok || got != want {
			t.Errorf("keyPointer(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	if _, ok := keyPointer([]byte(body), "missing"); ok {
		t.Error("found a member that is not there")
	}
	if _, ok := keyPointer([]byte(`{"a": `), "a"); !ok {
		t.Error("a truncated body still names its members")
	}
}
