package ports

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/httpserver/decodetest"
)

// FuzzDecodeRegistration drives the port's decoder with arbitrary bodies: it
// either decodes or answers a problem, never panics, and a problem about a
// field names it.
func FuzzDecodeRegistration(f *testing.F) {
	f.Add([]byte(`{"channel":"alert_110","county_code":"622901","parties":[],"summary":"x","narrative":"y"}`))
	f.Add([]byte(`{"group_size":"many"}`))
	f.Add([]byte(`{"parties":[{"role":"applicant","name":1}]}`))
	f.Add([]byte(`{"channel":"alert_110",`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte("{\"summary\":\"a\\u0000b\",\"narrative\":\"\xff\"}"))
	f.Add([]byte(`{"place":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40) + `}`))
	e := echo.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		var decoded registrationBody
		err := httpserver.DecodeJSONWith(decodetest.Context(e, "/v1/disputes", body), &decoded, textLimits)
		if err == nil {
			reg := decoded.registration()
			if !reflect.DeepEqual(registrationBodyOf(reg), decoded) {
				t.Fatalf("the body does not come back from its registration: %+v", decoded)
			}
			_ = fingerprint(reg)
			if verr := reg.Validate(time.Now()); verr != nil && toProblem(verr) == nil {
				t.Fatal("a validation error became no problem")
			}
			return
		}
		decodetest.BadRequest(t, err)
	})
}
