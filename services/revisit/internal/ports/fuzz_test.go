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
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
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
			var r revisit.Result
			if err = decode(e, body, &r); err == nil {
				if verr := r.Validate(); verr != nil {
					badRequest(t, toProblem(verr))
				}
				return
			}
		case 1:
			err = decode(e, body, new(unscheduledRequest))
		case 2:
			err = decode(e, body, new(app.Assignment))
		}
		if err != nil {
			badRequest(t, err)
		}
	})
}

func decode(e *echo.Echo, body []byte, v any) error {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	return httpserver.DecodeJSON(e.NewContext(req, httptest.NewRecorder()), v)
}

// badRequest fails unless err is a 400 problem whose field errors each
// name a field.
func badRequest(t *testing.T, err error) {
	t.Helper()
	var p *problem.Details
	if !errors.As(err, &p) || p.Status != http.StatusBadRequest {
		t.Fatalf("%v is not a 400 problem", err)
	}
	for _, fe := range p.Errors {
		if fe.Pointer == "" {
			t.Fatalf("a field error names no field: %+v", p)
		}
	}
}
