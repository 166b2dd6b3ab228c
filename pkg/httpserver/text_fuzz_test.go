package httpserver

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzWalkStrings checks the hand-written scan against encoding/json's
// Token API: on any valid JSON it visits exactly the string values (not the
// keys), in order, with their patterns and decoded text.
func FuzzWalkStrings(f *testing.F) {
	f.Add([]byte(`{"a": ["x", {"b\"c": "y\\u0000"}], "d": 1, "e": "\u00e9"}`))
	f.Add([]byte(`[[], {}, "", "\"", "\\", {"k": [1, "v", null]}, {"a": "x", "a": "y"}]`))
	f.Add([]byte("{\"n/~\": \"\xff\", \"m\": \"\\ud800\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var got []string
		walkStrings(data, func(ptr func() string, pattern string, raw []byte) {
			got = append(got, ptr()+" "+pattern+" "+unquote(raw))
		})
		if want := referenceStrings(data); !slices.Equal(got, want) {
			t.Fatalf("walkStrings(%q) =\n%q\nwant\n%q", data, got, want)
		}
	})
}

// referenceStrings lists what walkStrings should visit, with the Token API.
func referenceStrings(data []byte) []string {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	render := func(pattern bool) string {
		out := "#"
		if pattern {
			out = ""
		}
		for _, f := range stack {
			switch {
			case f.array && pattern:
				out += "/*"
			case f.array:
				out += "/" + itoa(f.index)
			default:
				out += "/" + escapeToken(f.key)
			}
		}
		return out
	}
	next := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	var out []string
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '}' || d == ']' {
				stack = stack[:len(stack)-1]
				next()
			} else {
				stack = append(stack, frame{array: d == '[', wantKey: d == '{'})
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			stack[n-1].key, stack[n-1].wantKey = tok.(string), false
			continue
		}
		if s, ok := tok.(string); ok {
			out = append(out, render(false)+" "+render(true)+" "+s)
		}
		next()
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
