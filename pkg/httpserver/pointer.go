package httpserver

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// pointer turns encoding/json's dotted field path into a JSON Pointer.
func pointer(field string) string {
	if field == "" {
		return "#"
	}
	return "#/" + strings.ReplaceAll(field, ".", "/")
}

// valuePointerAt returns the JSON Pointer of the value of data that ends
// at offset: encoding/json's UnmarshalTypeError.Offset is the end of the
// offending scalar, or just past the "{" or "[" of an offending object or
// array.
func valuePointerAt(data []byte, offset int64) (string, bool) {
	var found string
	ok := walkJSON(data, func(path []string, isKey bool, dec *json.Decoder) bool {
		if !isKey && dec.InputOffset() >= offset {
			found = jsonPointer(path)
			return true
		}
		return false
	})
	return found, ok
}

// keyPointer returns the JSON Pointer of the first member named name.
// encoding/json does not say where the unknown field it reports is; the
// first member of that name is it unless an earlier, known field has the
// same name elsewhere in the body.
func keyPointer(data []byte, name string) (string, bool) {
	var found string
	ok := walkJSON(data, func(path []string, isKey bool, _ *json.Decoder) bool {
		if isKey && path[len(path)-1] == name {
			found = jsonPointer(path)
			return true
		}
		return false
	})
	return found, ok
}

// walkJSON calls visit for every member name (isKey, path ending in the
// name) and every value (path of the value) of data, in document order,
// until visit returns true; it reports whether one did.
func walkJSON(data []byte, visit func(path []string, isKey bool, dec *json.Decoder) bool) bool {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() []string {
		p := make([]string, len(stack))
		for i, f := range stack {
			if f.array {
				p[i] = strconv.Itoa(f.index)
			} else {
				p[i] = f.key
			}
		}
		return p
	}
	next := func() { // the value at the top frame's position is complete
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
			return false
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			next()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			stack[n-1].key, stack[n-1].wantKey = tok.(string), false
			if visit(path(), true, dec) {
				return true
			}
			continue
		}
		if visit(path(), false, dec) {
			return true
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{array: d == '[', wantKey: d == '{'})
			continue
		}
		next()
	}
}

// jsonPointer renders path as a URI-fragment JSON Pointer (RFC 6901).
func jsonPointer(path []string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, p := range path {
		b.WriteString("/")
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
