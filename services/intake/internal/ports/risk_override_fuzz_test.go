package ports

import (
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver/decodetest"
)

// FuzzDecodeRiskOverride drives the decoder of a risk override's body with
// arbitrary bytes: it decodes or answers a 400 problem, never panics.
func FuzzDecodeRiskOverride(f *testing.F) {
	f.Add([]byte(`{"level":"high","reason":"当事人扬言报复"}`))
	f.Add([]byte(`{"level":7}`))
	f.Add([]byte(`{"level":"high","reason":"x","by":"me"}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		decodetest.BadRequest(t, decodetest.Decode(e, body, new(riskOverride)))
	})
}
