package httpserver

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// fuzzBody has the shapes that make decodeProblem's pointers interesting:
// nesting, arrays of objects, numbers, times and maps.
type fuzzBody struct {
	Name   string            `json:"name"`
	Count  int               `json:"count"`
	At     time.Time         `json:"at"`
	Tags   []string          `json:"tags"`
	Items  []fuzzItem        `json:"items"`
	Labels map[string]string `json:"labels"`
	Nested *fuzzBody         `json:"nested"`
}

type fuzzItem struct {
	Role  string  `json:"role"`
	Score float64 `json:"score"`
}

// FuzzDecodeJSON feeds arbitrary bodies to the decoder every JSON route
// shares: it decodes or answers a 400 problem whose field errors are JSON
// pointers into the body, never panics.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"name":"x","count":1,"items":[{"role":"a","score":1.5}],"labels":{"k":"v"}}`))
	f.Add([]byte(`{"items":[{"role":"a"},{"role":7}]}`))
	f.Add([]byte(`{"nested":{"nested":{"count":"many"}}}`))
	f.Add([]byte(`{"at":"yesterday"}`))
	f.Add([]byte(`{"unknown":1}`))
	f.Add([]byte(`{"name":"x"} {"name":"y"}`))
	f.Add([]byte(`{"name":"x`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		err := DecodeJSON(e.NewContext(req, httptest.NewRecorder()), new(fuzzBody))
		if err == nil {
			return
		}
		var p *problem.Details
		if !errors.As(err, &p) || p.Status != http.StatusBadRequest {
			t.Fatalf("%v is not a 400 problem", err)
		}
		for _, fe := range p.Errors {
			if !strings.HasPrefix(fe.Pointer, "#") && !strings.HasPrefix(fe.Pointer, "header:") {
				t.Fatalf("field error %+v is not a pointer", fe)
			}
		}
	})
}
