package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// DecodeJSON reads the request body into v strictly: unknown fields, a wrong
// type or trailing data are a 400 problem naming the field at fault with a
// JSON Pointer into the body (e.g. "#/parties/1/role"). Its strings are
// checked as DecodeJSONWith does, each bounded by DefaultMaxText.
func DecodeJSON(c echo.Context, v any) error {
	return DecodeJSONWith(c, v, nil)
}

// decodeJSON decodes the body into v and returns the body's bytes.
func decodeJSON(c echo.Context, v any) ([]byte, error) {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return nil, problem.Invalid("the body must be application/json", problem.FieldError{Pointer: "header:Content-Type", Detail: "got " + ct})
	}
	// The whole body, bounded by the server's BodyLimit, so that a problem
	// can point into it: encoding/json reports an error's byte offset and a
	// dotted path without array indexes.
	data, err := io.ReadAll(req.Body)
	if err != nil {
		if p := tooLarge(c, err); p != nil {
			return nil, p
		}
		return nil, readProblem(err)
	}
	if err := checkDepth(data, limitsOf(c).MaxJSONDepth); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if isTimeError(err) {
			if p := timeProblem(data, v); p != nil {
				return nil, p
			}
		}
		return nil, decodeProblem(err, data)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, problem.Invalid("the body must hold exactly one JSON value")
	}
	return data, nil
}

// readProblem keeps echo's own errors (413 from the body limit) as they are.
func readProblem(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	return problem.Invalid("the body could not be read")
}

func decodeProblem(err error, data []byte) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return problem.Invalid(fmt.Sprintf("malformed JSON at byte %d: %v", syntax.Offset, syntax))
	case errors.As(err, &typeErr):
		ptr, ok := valuePointerAt(data, typeErr.Offset)
		if !ok {
			ptr = pointer(typeErr.Field)
		}
		return problem.Invalid("a field has the wrong type",
			problem.Field(ptr, fmt.Sprintf("must be %s, not a JSON %s", jsonType(typeErr.Type), typeErr.Value)))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return problem.Invalid("the body is empty or truncated")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		ptr, ok := keyPointer(data, name)
		if !ok {
			ptr = pointer(name)
		}
		return problem.Invalid("the body has a field this API does not know", problem.Field(ptr, "unknown field"))
	default:
		// Never a Go error's text: it names Go types and layouts.
		return problem.Invalid("the body does not match this API's fields and types")
	}
}

// jsonType names what a Go type accepts in JSON terms: clients should not
// read "must be a int" or a Go package path.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonType(t.Elem())
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another value"
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
