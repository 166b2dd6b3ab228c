package ports

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// FuzzOpen311Form drives the GeoReport v2 form decoding with arbitrary
// form bodies: echo parses the form, the request maps onto a registration,
// and validation either accepts it or refuses it as a 400 problem naming a
// form field (or a JSON pointer for what GeoReport has no field for),
// never panics.
func FuzzOpen311Form(f *testing.F) {
	f.Add("jurisdiction_id=622901&service_code=neighbour&description=%E9%99%A2%E5%A2%99&first_name=%E4%B8%89&last_name=%E5%BC%A0&phone=13812345678&attribute%5Btownship_code%5D=622901001&attribute%5Bvillage_code%5D=622901001001")
	f.Add("service_code=feng_shui&description=&attribute%5Bchannel%5D=carrier_pigeon")
	f.Add("description=" + strings.Repeat("%E5%A2%99", 100))
	f.Add("a=%zz&b")
	f.Add("attribute[township_code]=6229&phone=%00")
	f.Add("lat=35.6&long=east&address_string=%E5%9F%8E%E5%8C%97%E8%B7%AF")
	f.Add("lat=NaN&long=1e400")
	e := echo.New()
	f.Fuzz(func(t *testing.T, form string) {
		req := httptest.NewRequest(http.MethodPost, "/open311/v2/requests.json", strings.NewReader(form))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
		params, err := e.NewContext(req, httptest.NewRecorder()).FormParams()
		if err != nil {
			return // answered as a 400 "the body must be a form"
		}
		reg, verr := registrationOf311(url.Values(params).Get, "622901")
		if verr == nil {
			_ = fingerprint(reg)
			verr = reg.Validate(time.Now())
		}
		if verr == nil {
			return
		}
		var p *problem.Details
		if !errors.As(toProblem311(verr), &p) || p.Status != http.StatusBadRequest {
			t.Fatalf("%v is not a 400 problem", verr)
		}
		for _, fe := range p.Errors {
			if !strings.HasPrefix(fe.Pointer, "form:") && !strings.HasPrefix(fe.Pointer, "#") {
				t.Fatalf("a field error names no field: %+v", fe)
			}
		}
	})
}
