package ports

import (
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver/decodetest"
)

// FuzzDecodeMediationBodies drives the decoder of every body the mediation
// room's routes accept (route picks which) with arbitrary bytes: each
// either decodes or answers a 400 problem, never panics; an outcome that
// decodes is validated, and its refusal is a 400 problem naming a field.
func FuzzDecodeMediationBodies(f *testing.F) {
	f.Add(uint8(0), []byte(`{"result":"resolved","agreement":{"summary":"院墙后退 20 厘米","terms":["12 月 1 日前拆除越界部分"]}}`))
	f.Add(uint8(0), []byte(`{"result":"punishment_procedure","reason":"x","fight":true,"refused_by":["respondent"]}`))
	f.Add(uint8(1), []byte(`{"party":"applicant","mediator_id":"M1","reason":"亲属"}`))
	f.Add(uint8(2), []byte(`{"mediator_ids":["M1","M2"]}`))
	f.Add(uint8(3), []byte(`{"at":"2026-12-01T09:00:00+08:00","place":"调解室"}`))
	f.Add(uint8(4), []byte(`{"summary":"x","attendees":[1]}`))
	f.Add(uint8(5), []byte(`{"decisions":[{"agency":"court","task":"x"}]}`))
	f.Add(uint8(6), []byte(`{"term":0,"kept":false}`))
	f.Add(uint8(0), []byte(`{"result":"resolved","agreement":null}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		var err error
		switch route % 7 {
		case 0:
			var o outcomeRequest
			if err = decodetest.Decode(e, body, &o); err == nil {
				if verr := o.outcome().Validate(); verr != nil {
					decodetest.BadRequestNamingFields(t, toProblem(verr))
				}
				return
			}
		case 1:
			err = decodetest.Decode(e, body, new(objectionView))
		case 2:
			err = decodetest.Decode(e, body, new(preferences))
		case 3:
			err = decodetest.Decode(e, body, new(scheduleRequest))
		case 4:
			err = decodetest.Decode(e, body, new(sessionRecordView))
		case 5:
			err = decodetest.Decode(e, body, new(decisions))
		case 6:
			err = decodetest.Decode(e, body, new(performedRequest))
		}
		decodetest.BadRequestNamingFields(t, err)
	})
}
