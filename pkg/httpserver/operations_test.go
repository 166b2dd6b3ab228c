package httpserver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
)

type things struct{}

func (things) ListThings(c echo.Context) error { return c.String(http.StatusOK, "list") }
func (things) GetThing(c echo.Context) error   { return c.String(http.StatusOK, "get "+c.Param("id")) }

func version(_ context.Context, id string) (string, error) { return `"v-` + id + `"`, nil }

type audits struct{}

func (audits) ListAudits(c echo.Context) error { return c.String(http.StatusOK, "audits") }

func TestMountServesEachOperationByItsOperationId(t *testing.T) {
	e := echo.New()
	err := httpserver.Mount(e.Group("/v1"), []httpserver.Operation{
		{Method: http.MethodGet, Path: "/things", ID: "listThings"},
		{Method: http.MethodGet, Path: "/things/:id", ID: "getThing", ETag: true},
		{Method: http.MethodGet, Path: "/audits", ID: "listAudits"},
	}, things{}, audits{}, httpserver.Tags(version))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, body, etag string }{
		{"/v1/things", "list", ""},
		{"/v1/things/t-1", "get t-1", `"v-t-1"`},
		{"/v1/audits", "audits", ""},
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if rec.Code != http.StatusOK || rec.Body.String() != tc.body || rec.Header().Get("ETag") != tc.etag {
			t.Errorf("GET %s: %d %q ETag %q, want %q ETag %q", tc.path, rec.Code, rec.Body, rec.Header().Get("ETag"), tc.body, tc.etag)
		}
	}
}

func TestMountRefusesAnOperationWithoutOneHandler(t *testing.T) {
	for _, tc := range []struct {
		op       httpserver.Operation
		handlers []any
		says     string
	}{
		{httpserver.Operation{Method: "GET", Path: "/x", ID: "getX"}, []any{things{}}, "0 handlers named GetX"},
		{httpserver.Operation{Method: "GET", Path: "/things", ID: "listThings"}, []any{things{}, things{}}, "2 handlers named ListThings"},
		{httpserver.Operation{Method: "GET", Path: "/audits/:id", ID: "listAudits", ETag: true}, []any{audits{}}, "no handler serves entity-tags"},
		{httpserver.Operation{Method: "GET", Path: "/things", ID: "listThings"}, []any{things{}, httpserver.Tags(version), httpserver.Tags(version)}, "two of the handlers serve entity-tags"},
	} {
		err := httpserver.Mount(echo.New().Group("/v1"), []httpserver.Operation{tc.op}, tc.handlers...)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want an error saying %q", tc.op.ID, err, tc.says)
		}
	}
}
