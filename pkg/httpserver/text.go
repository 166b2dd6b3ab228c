package httpserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// TextLimits bounds the text of a request: each string member of a JSON
// body by its JSON Pointer pattern ("/summary", "/parties/*/name", where
// "*" stands for any array index), each field of a form by its name. A
// string no entry names is bounded by DefaultMaxText. Lengths are in runes
// (characters), as a person counts them. A service keeps its table in one
// place (its ports' limits.go) and documents it in docs/input-limits.md.
type TextLimits map[string]int

// DefaultMaxText bounds a string no TextLimits entry names: enough for a
// code, an ID or a short label, so that no field is ever unbounded.
const DefaultMaxText = 200

// maxTextErrors bounds the fields one problem lists.
const maxTextErrors = 20

func (l TextLimits) of(pattern string) int {
	if n, ok := l[pattern]; ok {
		return n
	}
	return DefaultMaxText
}

// DecodeJSONWith is DecodeJSON, then checks every string of the body
// against limits: longer than its bound, holding NUL, or not valid UTF-8 is
// a 400 problem naming each field at fault. encoding/json would otherwise
// replace invalid UTF-8 with U+FFFD and keep NUL: the text stored would not
// be the text sent, and a NUL breaks the systems the text is handed on to.
func DecodeJSONWith(c echo.Context, v any, limits TextLimits) error {
	data, err := decodeJSON(c, v)
	if err != nil {
		return err
	}
	if errs := checkJSONText(data, limits); len(errs) > 0 {
		return problem.Invalid("text fields are too long or not valid text", errs...)
	}
	return nil
}

// checkJSONText checks the strings of a JSON document (already known to
// decode) and returns the fields at fault.
func checkJSONText(data []byte, limits TextLimits) []problem.FieldError {
	badAt := -1
	if !utf8.Valid(data) {
		badAt = firstInvalidUTF8(data)
	}
	var errs []problem.FieldError
	walkStrings(data, func(ptr, pattern, s string, end int64) {
		if len(errs) >= maxTextErrors {
			return
		}
		raw := badAt >= 0 && int64(badAt) < end
		if raw {
			badAt = -1 // reported once, at the string that holds it
		}
		if detail := textFault(s, raw, limits.of(pattern)); detail != "" {
			errs = append(errs, problem.FieldError{Pointer: ptr, Detail: detail})
		}
	})
	return errs
}

// textFault says what is wrong with s, or "" if nothing is. invalid is set
// when the raw bytes of s were not valid UTF-8.
func textFault(s string, invalid bool, max int) string {
	switch {
	case invalid || !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError):
		// U+FFFD in decoded JSON text comes from a lone surrogate escape
		// (\ud800) or from replaced bytes: text damaged on its way here.
		return "must be valid UTF-8 text (no invalid bytes, lone surrogates or U+FFFD)"
	case strings.IndexByte(s, 0) >= 0:
		return "must not contain NUL (U+0000)"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// walkStrings calls visit with the JSON Pointer, its pattern (array indexes
// as "*"), the decoded value and the end offset of every string value of
// data, in document order.
func walkStrings(data []byte, visit func(ptr, pattern, s string, end int64)) {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	render := func(pattern bool) string {
		var b strings.Builder
		b.WriteString("#")
		for _, f := range stack {
			b.WriteString("/")
			switch {
			case f.array && pattern:
				b.WriteString("*")
			case f.array:
				b.WriteString(strconv.Itoa(f.index))
			default:
				b.WriteString(strings.ReplaceAll(strings.ReplaceAll(f.key, "~", "~0"), "/", "~1"))
			}
		}
		return b.String()
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
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return
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
			visit(render(false), strings.TrimPrefix(render(true), "#"), s, dec.InputOffset())
		}
		next()
	}
}

// CheckForm checks every field of a form against limits (by field name):
// the same rules as DecodeJSONWith's, naming a field "form:<name>".
func CheckForm(form url.Values, limits TextLimits) error {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []problem.FieldError
	for _, name := range names {
		for _, v := range form[name] {
			if detail := textFault(v, false, limits.of(name)); detail != "" && len(errs) < maxTextErrors {
				errs = append(errs, problem.FieldError{Pointer: "form:" + name, Detail: detail})
			}
		}
		if !utf8.ValidString(name) || strings.IndexByte(name, 0) >= 0 {
			return problem.Invalid("a form field's name is not text", problem.FieldError{Pointer: "form", Detail: "field names must be valid UTF-8 without NUL"})
		}
	}
	if len(errs) > 0 {
		return problem.Invalid("text fields are too long or not valid text", errs...)
	}
	return nil
}
