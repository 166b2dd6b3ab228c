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

// FuzzDecodeRiskOverride drives the decoder of a risk override's body with
// arbitrary bytes: it decodes or answers a 400 problem, never panics.
func FuzzDecodeRiskOverride(f *testing.F) {
	f.Add([]byte(`{"level":"high","reason":"当事人扬言报复"}`))
	f.Add([]byte(`{"level":7}`))
	f.Add([]byte(`{"level":"high","reason":"x","by":"me"}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		err := httpserver.DecodeJSON(e.NewContext(req, httptest.NewRecorder()), new(riskOverride))
		var p *problem.Details
		if err != nil && (!errors.As(err, &p) || p.Status != http.StatusBadRequest) {
			t.Fatalf("%v is not a 400 problem", err)
		}
	})
}
