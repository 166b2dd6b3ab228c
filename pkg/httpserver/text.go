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
	var errs []problem.FieldError
	walkStrings(data, func(ptr func() string, pattern string, raw []byte) {
		if len(errs) >= maxTextErrors {
			return
		}
		if detail := textFault(unquote(raw), !utf8.Valid(raw), limits.of(pattern)); detail != "" {
			errs = append(errs, problem.FieldError{Pointer: ptr(), Detail: detail})
		}
	})
	return errs
}

// unquote decodes a JSON string token as encoding/json does (invalid UTF-8
// becomes U+FFFD); without escapes and invalid bytes it is the bytes
// between the quotes.
func unquote(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s) // the document decoded, so the token does
	return s
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

// walkStrings calls visit with the JSON Pointer (rendered on demand), its
// pattern (array indexes as "*") and the raw token, quotes included, of
// every string value of data, in document order. data must be valid JSON
// (it has just been decoded): the scan only tracks containers, keys and
// array positions, far cheaper than encoding/json's Token API.
func walkStrings(data []byte, visit func(ptr func() string, pattern string, raw []byte)) {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	render := func(pattern bool) string {
		var b strings.Builder
		if !pattern {
			b.WriteString("#")
		}
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
	ptr := func() string { return render(false) }
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			stack = append(stack, frame{array: data[i] == '[', wantKey: data[i] == '{'})
		case '}', ']':
			stack = stack[:len(stack)-1]
		case ',':
			if top := &stack[len(stack)-1]; top.array {
				top.index++
			} else {
				top.wantKey = true
			}
		case '"':
			end := stringEnd(data, i)
			raw := data[i : end+1]
			if n := len(stack); n > 0 && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = unquote(raw), false
			} else {
				visit(ptr, render(true), raw)
			}
			i = end
		}
	}
}

// stringEnd is the index of the quote closing the string that opens at i.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(data) - 1
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
