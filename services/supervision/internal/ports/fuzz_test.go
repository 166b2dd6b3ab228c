package ports

import (
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver/decodetest"
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
		decodetest.BadRequest(t, decodetest.Decode(e, body, new(urgeRequest)))
	})
}
