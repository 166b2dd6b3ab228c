// Package decodetest drives a service's request-body decoders in its fuzz
// tests: a JSON POST in an echo context, as the route reads it, and the one
// acceptable refusal, a 400 problem (docs/problems.md).
package decodetest

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/problem"
)

// Context is the echo context of a JSON POST to path carrying body.
func Context(e *echo.Echo, path string, body []byte) echo.Context {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	return e.NewContext(req, httptest.NewRecorder())
}

// Decode decodes body into v as a route does (httpserver.DecodeJSON).
func Decode(e *echo.Echo, body []byte, v any) error {
	return httpserver.DecodeJSON(Context(e, "/", body), v)
}

// BadRequest fails t unless err is nil or a 400 problem.
func BadRequest(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		badRequest(t, err)
	}
}

// BadRequestNamingFields is BadRequest, and each of the problem's field
// errors names a field.
func BadRequestNamingFields(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, fe := range badRequest(t, err).Errors {
		if fe.Pointer == "" {
			t.Fatalf("a field error names no field: %+v", fe)
		}
	}
}

func badRequest(t testing.TB, err error) *problem.Details {
	t.Helper()
	var p *problem.Details
	if !errors.As(err, &p) || p.Status != http.StatusBadRequest {
		t.Fatalf("%v is not a 400 problem", err)
	}
	return p
}
