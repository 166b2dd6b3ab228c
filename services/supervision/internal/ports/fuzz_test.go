package ports

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

// FuzzDecodeUrge drives the decoder of an urge's body (supervision's only
// JSON body) with arbitrary bytes: it decodes or answers a 400 problem,
// never panics.
func FuzzDecodeUrge(f *testing.F) {
	f.Add([]byte(`{"comment":"请尽快化解"}`))
	f.Add([]byte(`{"comment":1}`))
	f.Add([]byte(`{"comment":"x","extra":true}`))
	f.Add([]byte(`{"comment":"\ud800"}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		err := httpserver.DecodeJSON(e.NewContext(req, httptest.NewRecorder()), new(urgeRequest))
		if err == nil {
			return
		}
		var p *problem.Details
		if !errors.As(err, &p) || p.Status != http.StatusBadRequest {
			t.Fatalf("%v is not a 400 problem", err)
		}
	})
}
