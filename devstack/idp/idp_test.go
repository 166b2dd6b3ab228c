package idp_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fengqiao.dev/devstack/idp"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/identity/bearer"
)

func start(t *testing.T, keyFile string) *idp.Provider {
	t.Helper()
	p, err := idp.New(idp.Options{Addr: "127.0.0.1:0", KeyFile: keyFile, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return p
}

func verify(t *testing.T, p *idp.Provider, token string) identity.Caller {
	t.Helper()
	v, err := bearer.New(bearer.Config{Issuer: p.Issuer, Audience: idp.Audience})
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("the provider's token does not verify: %v", err)
	}
	return c
}

// TestAuthorizationCodeWithPKCE walks the flow the console uses, with a
// plain HTTP client: /authorize, the login form, the callback, the code
// exchanged with its verifier; the access token carries the user's county,
// unit, role and staff ID and verifies as the services verify it.
func TestAuthorizationCodeWithPKCE(t *testing.T) {
	p := start(t, "")
	token, err := idp.UserToken(context.Background(), p.Issuer, "mediator-620902", idp.DevPassword)
	if err != nil {
		t.Fatal(err)
	}
	got := verify(t, p, token)
	want := identity.Caller{County: "620902", Agency: "dbj-centre", Role: identity.RoleMediator, Officer: "sz-dbj-g01"}
	if got != want {
		t.Fatalf("caller = %+v, want %+v", got, want)
	}
}

func TestWrongPasswordGetsNoCode(t *testing.T) {
	p := start(t, "")
	if _, err := idp.UserToken(context.Background(), p.Issuer, "officer-622901", "guess"); err == nil {
		t.Fatal("a wrong password was let in")
	}
}

// TestCodeNeedsItsVerifier: a code intercepted on its way to the client is
// worthless without the verifier only the client holds (PKCE), and a public
// client cannot skip PKCE.
func TestCodeNeedsItsVerifier(t *testing.T) {
	p := start(t, "")
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"client_id": {idp.CLIClient}, "redirect_uri": {idp.CLIRedirect}, "response_type": {"code"}, "scope": {"openid"},
		"state": {"s"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	resp, err := noRedirects.Get(p.Issuer + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	login, _ := url.Parse(resp.Header.Get("Location"))
	resp, err = noRedirects.PostForm(p.Issuer+"/login", url.Values{"id": {login.Query().Get("authRequestID")}, "username": {"officer-622901"}, "password": {idp.DevPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = noRedirects.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	final, _ := url.Parse(resp.Header.Get("Location"))
	code := final.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %s", final)
	}
	resp, err = http.PostForm(p.Issuer+"/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {idp.CLIRedirect}, "client_id": {idp.CLIClient}, "code_verifier": {"not-the-verifier-not-the-verifier-not-the-verifier"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("the code was exchanged with a wrong verifier")
	}
}

// TestAgencySystemsUseClientCredentials: each agency kind of each county
// has its own client; its token says agency_system of that county.
func TestAgencySystemsUseClientCredentials(t *testing.T) {
	p := start(t, "")
	token, err := idp.SystemToken(context.Background(), p.Issuer, "police-system-370202", idp.DevSecret)
	if err != nil {
		t.Fatal(err)
	}
	got := verify(t, p, token)
	want := identity.Caller{County: "370202", Agency: "jsl-police", Role: identity.RoleSystem, Officer: "police-system-370202"}
	if got != want {
		t.Fatalf("caller = %+v, want %+v", got, want)
	}
	if _, err := idp.SystemToken(context.Background(), p.Issuer, "police-system-370202", "guess"); err == nil {
		t.Fatal("a wrong client secret got a token")
	}
}

// TestKeysPersistAndRotate: a token issued before a restart verifies after
// it; after a rotation, a verifier that already knew the old key accepts
// tokens of the new one, and the old tokens still.
func TestKeysPersistAndRotate(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "idp", "keys.json")
	first := start(t, keyFile)
	before, err := idp.SystemToken(context.Background(), first.Issuer, "committee-system-622901", idp.DevSecret)
	if err != nil {
		t.Fatal(err)
	}
	second := start(t, keyFile) // the same keys, on another port: only the issuer differs
	// MinRefresh: this test rotates within the verifier's default five
	// seconds between fetches, which a real rotation never does.
	v, err := bearer.New(bearer.Config{Issuer: second.Issuer, Audience: idp.Audience, JWKSURL: second.Issuer + "/keys", MinRefresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), before); !errors.Is(err, identity.ErrNoIdentity) || !strings.Contains(err.Error(), "issued by") {
		t.Fatalf("a token of another issuer: %v", err) // the keys verified; only the issuer is wrong
	}
	old, err := idp.SystemToken(context.Background(), second.Issuer, "committee-system-622901", idp.DevSecret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), old); err != nil {
		t.Fatal(err)
	}
	if err := second.RotateKey(); err != nil {
		t.Fatal(err)
	}
	rotated, err := idp.SystemToken(context.Background(), second.Issuer, "committee-system-622901", idp.DevSecret)
	if err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{"new key": rotated, "old key": old} {
		if _, err := v.Verify(context.Background(), token); err != nil {
			t.Fatalf("%s after the rotation: %v", name, err)
		}
	}
}
