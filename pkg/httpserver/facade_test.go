package httpserver_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
)

// tokens is a fake verifier (a pure unit test of the form's token): one
// valid token, any other bearer refused.
type tokens struct{}

func (tokens) Authenticate(r *http.Request) (identity.Caller, error) {
	if r.Header.Get("Authorization") == "Bearer good-token" {
		return identity.Caller{County: "622901", Agency: "hotline-12345", Role: identity.RoleSystem}, nil
	}
	return identity.Caller{}, identity.Refuse("no valid bearer token")
}

// startFacade serves POST /v1/facade/requests.json, which answers the
// caller's agency and the form it saw, with the facade's refusals as
// {"code","description"} arrays.
func startFacade(t *testing.T) string {
	t.Helper()
	s, err := httpserver.New(httpserver.Options{Service: "test", Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Auth: tokens{}})
	if err != nil {
		t.Fatal(err)
	}
	s.AcceptTokenInForm("/v1/facade/requests.json", "api_key")
	s.RenderErrorsUnder("/v1/facade/", func(c echo.Context, p *problem.Details) error {
		return c.JSON(p.Status, []map[string]any{{"code": p.Status, "description": p.Detail}})
	})
	s.API.POST("/facade/requests.json", func(c echo.Context) error {
		form, err := httpserver.FormParams(c)
		if err != nil {
			return err
		}
		caller, _ := identity.FromContext(c.Request().Context())
		return c.JSON(http.StatusOK, map[string]any{"agency": caller.Agency, "form": form})
	})
	s.API.POST("/other", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	go func() { _ = s.Run(t.Context()) }()
	return s.URL()
}

func TestAFormsAPIKeyIsItsBearerToken(t *testing.T) {
	base := startFacade(t)
	post := func(path, body string, header ...string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	form := url.Values{"api_key": {"good-token"}, "service_code": {"neighbour"}}.Encode()

	status, raw := post("/v1/facade/requests.json", form)
	var ok struct {
		Agency string              `json:"agency"`
		Form   map[string][]string `json:"form"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(raw), &ok) != nil || ok.Agency != "hotline-12345" {
		t.Fatalf("api_key in the form: %d %s", status, raw)
	}
	if _, seen := ok.Form["api_key"]; seen || ok.Form["service_code"][0] != "neighbour" {
		t.Fatalf("the handler saw the form %v", ok.Form)
	}

	for _, tc := range []struct{ name, path, body, auth string }{
		{"a wrong key", "/v1/facade/requests.json", url.Values{"api_key": {"guess"}}.Encode(), ""},
		{"a key in the query string", "/v1/facade/requests.json?api_key=good-token", "service_code=neighbour", ""},
		{"a header beside the key: the header is verified", "/v1/facade/requests.json", form, "Bearer stale"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.auth != "" {
				header = []string{"Authorization", tc.auth}
			}
			status, raw := post(tc.path, tc.body, header...)
			var refusal []map[string]any
			if status != http.StatusUnauthorized || json.Unmarshal([]byte(raw), &refusal) != nil || len(refusal) != 1 || refusal[0]["code"] != float64(401) {
				t.Fatalf("%d %s", status, raw)
			}
		})
	}
	// Only the facade's route takes a key, and only the facade's refusals
	// change format.
	status, raw = post("/v1/other", form)
	if status != http.StatusUnauthorized || !strings.Contains(raw, `"status":401`) {
		t.Fatalf("another route: %d %s", status, raw)
	}
}
