package ports

import (
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver/decodetest"
)

// FuzzDecodeReferralBodies drives the decoders of the referral routes'
// bodies with arbitrary bytes: a pause's reason (the shared JSON decoder)
// and a return's reason (echo's binder, as returnCopy reads it). Each
// either decodes or is refused, never panics; the pause's refusal is a
// 400 problem.
func FuzzDecodeReferralBodies(f *testing.F) {
	f.Add(uint8(0), []byte(`{"reason":"等待当事人补充材料"}`))
	f.Add(uint8(0), []byte(`{"reason":["x"]}`))
	f.Add(uint8(1), []byte(`{"reason":"不属本单位管辖"}`))
	f.Add(uint8(1), []byte(`{"reason":`))
	f.Add(uint8(1), []byte(`[]`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		switch route % 2 {
		case 0:
			decodetest.BadRequest(t, decodetest.Decode(e, body, new(pauseRequest)))
		case 1:
			_ = decodetest.Context(e, "/", body).Bind(new(returnRequest))
		}
	})
}
