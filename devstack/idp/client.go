package idp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// UserToken logs a user in the way a browser would — the authorization
// code flow with PKCE, through the login form — and returns the access
// token. It is what `make token` and the tests use; it follows the
// redirects itself and reads the code off the last one, so it needs no
// listener at the redirect URI.
func UserToken(ctx context.Context, issuer, user, password string) (string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	verifier := randomString()
	challenge := sha256.Sum256([]byte(verifier))
	state := randomString()
	q := url.Values{
		"client_id": {CLIClient}, "redirect_uri": {CLIRedirect}, "response_type": {"code"}, "scope": {"openid"},
		"state": {state}, "code_challenge": {base64.RawURLEncoding.EncodeToString(challenge[:])}, "code_challenge_method": {"S256"},
	}
	loginURL, err := redirect(ctx, client, http.MethodGet, issuer+"/authorize?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("while starting the authorization: %w", err)
	}
	lu, err := url.Parse(loginURL)
	if err != nil {
		return "", err
	}
	form := url.Values{"id": {lu.Query().Get("authRequestID")}, "username": {user}, "password": {password}}
	callback, err := redirect(ctx, client, http.MethodPost, resolve(issuer, loginURL), form)
	if err != nil {
		return "", fmt.Errorf("while logging in as %s: %w", user, err)
	}
	final, err := redirect(ctx, client, http.MethodGet, resolve(issuer, callback), nil)
	if err != nil {
		return "", fmt.Errorf("while completing the authorization: %w", err)
	}
	fu, err := url.Parse(final)
	if err != nil {
		return "", err
	}
	if fu.Query().Get("state") != state || fu.Query().Get("code") == "" {
		return "", fmt.Errorf("the provider redirected to %s without the code for this request: %s", fu.Path, fu.Query().Get("error_description"))
	}
	return exchange(ctx, issuer, url.Values{
		"grant_type": {"authorization_code"}, "code": {fu.Query().Get("code")}, "redirect_uri": {CLIRedirect},
		"client_id": {CLIClient}, "code_verifier": {verifier},
	}, "", "")
}

// SystemToken returns an access token for an agency's system, by the
// client credentials grant.
func SystemToken(ctx context.Context, issuer, clientID, secret string) (string, error) {
	return exchange(ctx, issuer, url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}}, clientID, secret)
}

// redirect sends a request that must answer with a redirect, and returns
// where to.
func redirect(ctx context.Context, client *http.Client, method, target string, form url.Values) (string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return "", fmt.Errorf("%s %s answered %s: %s", method, req.URL.Path, resp.Status, data)
	}
	return resp.Header.Get("Location"), nil
}

// exchange calls the token endpoint and returns the access token.
func exchange(ctx context.Context, issuer string, form url.Values, clientID, secret string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, issuer+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if clientID != "" {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("while calling the token endpoint: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil {
		return "", fmt.Errorf("the token endpoint answered %s: %w", resp.Status, err)
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("the token endpoint refused: %s %s", out.Error, out.Description)
	}
	return out.AccessToken, nil
}

func resolve(issuer, location string) string {
	if strings.HasPrefix(location, "/") {
		return issuer + location
	}
	return location
}

func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
