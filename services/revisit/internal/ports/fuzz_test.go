package ports

import (
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver/decodetest"
)

// FuzzDecodeRevisitBodies drives the decoder of every body the revisit
// routes accept (route picks which) with arbitrary bytes: each either
// decodes or answers a 400 problem, never panics; a result that decodes is
// validated, and its refusal is a 400 problem naming a field.
func FuzzDecodeRevisitBodies(f *testing.F) {
	f.Add(uint8(0), []byte(`{"outcome":"stable"}`))
	f.Add(uint8(0), []byte(`{"outcome":"rebound","note":"又因开支争吵"}`))
	f.Add(uint8(0), []byte(`{"outcome":"unreachable","attempts":-1}`))
	f.Add(uint8(1), []byte(`{"round":1,"due_by":"2026-12-01T09:00:00+08:00"}`))
	f.Add(uint8(1), []byte(`{"round":1,"due_by":"tomorrow"}`))
	f.Add(uint8(2), []byte(`{"officer":"A1024"}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		var err error
		switch route % 3 {
		case 0:
			var r resultRequest
			if err = decodetest.Decode(e, body, &r); err == nil {
				if verr := r.result().Validate(); verr != nil {
					decodetest.BadRequestNamingFields(t, toProblem(verr))
				}
				return
			}
		case 1:
			err = decodetest.Decode(e, body, new(unscheduledRequest))
		case 2:
			err = decodetest.Decode(e, body, new(assignmentRequest))
		}
		decodetest.BadRequestNamingFields(t, err)
	})
}
