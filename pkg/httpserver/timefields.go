package httpserver

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"fengqiao.dev/pkg/problem"
)

var timeType = reflect.TypeFor[time.Time]()

// timeDetail is what a client reads for a time it got wrong, instead of
// time's own error ("parsing time … as \"2006-01-02T15:04:05Z07:00\"").
const timeDetail = "must be a date and time in RFC 3339, with its offset, e.g. 2026-11-23T08:00:00+08:00"

// isTimeError reports whether a decoding error came from time.Time's
// UnmarshalJSON, which encoding/json returns without the field's name.
func isTimeError(err error) bool {
	var pe *time.ParseError
	return errors.As(err, &pe) || strings.HasPrefix(err.Error(), "Time.UnmarshalJSON")
}

// timeProblem names every time field of data, as v's type declares them,
// whose value is not an RFC 3339 string.
func timeProblem(data []byte, v any) *problem.Details {
	patterns := map[string]bool{}
	timeFields(reflect.TypeOf(v), "", patterns, 0)
	var doc any
	if json.Unmarshal(data, &doc) != nil {
		return nil
	}
	var bad []string
	visitValues(doc, "", "", func(ptr, pattern string, value any) {
		if !patterns[pattern] || value == nil {
			return
		}
		if s, ok := value.(string); !ok || !validRFC3339(s) {
			bad = append(bad, ptr)
		}
	})
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	fields := make([]problem.FieldError, len(bad))
	for i, ptr := range bad {
		fields[i] = problem.FieldError{Pointer: "#" + ptr, Detail: timeDetail}
	}
	return problem.Invalid("a time field is not a date and time", fields...)
}

func validRFC3339(s string) bool {
	var t time.Time
	return t.UnmarshalJSON([]byte(`"`+s+`"`)) == nil
}

// timeFields collects the JSON Pointer patterns ("*" for an array index)
// of the time.Time fields reachable from t.
func timeFields(t reflect.Type, prefix string, out map[string]bool, depth int) {
	if t == nil || depth > 16 { // recursive types
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		out[prefix] = true
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		timeFields(t.Elem(), prefix+"/*", out, depth+1)
	case t.Kind() == reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" && f.Anonymous {
				timeFields(f.Type, prefix, out, depth+1) // promoted fields
				continue
			}
			if name == "" {
				name = f.Name
			}
			timeFields(f.Type, prefix+"/"+name, out, depth+1)
		}
	}
}

// visitValues calls visit for every value of a decoded JSON document with
// its pointer and its pattern (array indexes as "*", as timeFields writes).
func visitValues(doc any, ptr, pattern string, visit func(ptr, pattern string, value any)) {
	visit(ptr, pattern, doc)
	switch d := doc.(type) {
	case map[string]any:
		for k, v := range d {
			esc := strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
			visitValues(v, ptr+"/"+esc, pattern+"/"+esc, visit)
		}
	case []any:
		for i, v := range d {
			visitValues(v, ptr+"/"+strconv.Itoa(i), pattern+"/*", visit)
		}
	}
}
