package httpserver_test

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
)

// authFunc is an Authenticator from a function.
type authFunc func(*http.Request) (identity.Caller, error)

func (f authFunc) Authenticate(r *http.Request) (identity.Caller, error) { return f(r) }

// TestAuthenticationAndAuthorizationProblems: a refused credential is a 401
// with its reason and a Bearer challenge; an identity provider out of reach
// a 503; a role the route does not grant a 403 before the handler runs; a
// path without a route stays a 404.
func TestAuthenticationAndAuthorizationProblems(t *testing.T) {
	ran := false
	s, err := httpserver.New(httpserver.Options{
		Service: "test", Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler),
		Auth: authFunc(func(r *http.Request) (identity.Caller, error) {
			switch r.Header.Get("Authorization") {
			case "Bearer good":
				return identity.Caller{County: "622901", Agency: "a", Role: identity.RoleCommittee, Officer: "C1"}, nil
			case "Bearer away":
				return identity.Caller{}, errors.New("cannot fetch the keys")
			}
			return identity.Caller{}, identity.Refuse("the token expired at 2026-12-01T00:00:00Z")
		}),
		Authorize: func(method, route string, c identity.Caller) error {
			if route == "/v1/things/:id" && method == http.MethodPost {
				return errors.New("the role committee may not use POST /v1/things/:id")
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.API.POST("/things/:id", func(c echo.Context) error { ran = true; return c.NoContent(http.StatusOK) })
	s.API.GET("/things/:id", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	go func() { _ = s.Run(t.Context()) }()
	for _, tc := range []struct {
		method, path, auth string
		status             int
		detail             string
	}{
		{"GET", "/v1/things/1", "Bearer old", 401, "expired"},
		{"GET", "/v1/things/1", "Bearer away", 503, "identity provider"},
		{"POST", "/v1/things/1", "Bearer good", 403, "may not use POST"},
		{"GET", "/v1/things/1", "Bearer good", 200, ""},
		{"GET", "/v1/nothing", "Bearer good", 404, ""},
	} {
		req, _ := http.NewRequest(tc.method, s.URL()+tc.path, nil)
		req.Header.Set("Authorization", tc.auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p struct{ Detail string }
		_ = json.Unmarshal(body, &p)
		if resp.StatusCode != tc.status || !strings.Contains(p.Detail, tc.detail) {
			t.Errorf("%s %s with %q: %d %s, want %d saying %q", tc.method, tc.path, tc.auth, resp.StatusCode, body, tc.status, tc.detail)
		}
		if tc.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("a 401 without a Bearer challenge")
		}
	}
	if ran {
		t.Fatal("the handler ran for a role the route does not grant")
	}
}
