package devstack_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/problem"
)

// startPlatform runs the platform, with the sample counties, until the test
// ends, and waits until every service is ready.
func startPlatform(t *testing.T) *devstack.Platform { return startPlatformIn(t, "") }

// startPlatformIn is startPlatform keeping its data (and the provider's
// keys, in idp/keys.json) in dataDir.
func startPlatformIn(t *testing.T, dataDir string) *devstack.Platform {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{DataDir: dataDir, PolicyDir: "../operators/mediationcenter/config/samples", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("platform stopped with: %v", err)
		}
	})
	for name, url := range p.URLs {
		servicetest.Eventually(t, time.Minute, name+" is ready", func() bool {
			resp, err := http.Get(url + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	return p
}

// probes are the only routes that answer without a token: a kubelet and
// Prometheus carry none, and a client reads the OpenAPI document before it
// has one.
var probes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true, "/openapi.json": true}

var pathParam = regexp.MustCompile(`:[a-z]+|\*`)

// TestOnlyProbesAnswerWithoutAToken lists every route every service
// registered and calls it without a token, and with a token that is not
// one: only health, readiness, metrics and the OpenAPI document answer;
// everything else is a 401 problem saying what is missing.
func TestOnlyProbesAnswerWithoutAToken(t *testing.T) {
	p := startPlatform(t)
	checked := 0
	for _, name := range devstack.Services() {
		for _, r := range p.Service(name).HTTP.Echo.Routes() {
			if !isHTTPMethod(r.Method) {
				continue
			}
			path := pathParam.ReplaceAllString(r.Path, "622901")
			for _, auth := range []string{"", "Bearer not-a-token"} {
				status, body, header := call(t, r.Method, p.URLs[name]+path, auth)
				if probes[r.Path] {
					if status != http.StatusOK {
						t.Errorf("%s %s %s: %d, want the probe to answer", name, r.Method, r.Path, status)
					}
					continue
				}
				// Open311's facade refuses in GeoReport's format, [{"code":401,…}].
				wantType, wantBody := problem.MediaType, ""
				if strings.HasPrefix(r.Path, "/v1/open311/") {
					wantType, wantBody = "application/json", `"code":401`
				}
				if status != http.StatusUnauthorized || header.Get("Content-Type") != wantType || !strings.Contains(string(body), wantBody) ||
					!strings.Contains(header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s %s %s with %q: %d %s, want a 401 problem with a Bearer challenge", name, r.Method, r.Path, auth, status, body)
				}
				checked++
			}
		}
	}
	if checked < 2*40 {
		t.Fatalf("only %d calls checked: the routes were not listed", checked)
	}
}

func isHTTPMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// call makes one request with an Authorization header and returns status,
// body and headers. A 429 is waited out and the call made again: the matrix calls every
// route as every role faster than the services' per-client rate limit
// lets one address call, and the limit is not what it tests.
func call(t *testing.T, method, url, auth string) (int, string, http.Header) {
	t.Helper()
	for {
		status, body, header := callOnce(t, method, url, auth)
		if status != http.StatusTooManyRequests {
			return status, body, header
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func callOnce(t *testing.T, method, url, auth string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// TestBadTokensChangeNothing: a registration carrying a token that is
// wrong in any way is a 401 saying why, and nothing is stored or published;
// the same registration with the officer's real token is accepted. The
// wrong tokens whose fault is in their claims are signed with the
// provider's own key, so only that fault can be refused.
func TestBadTokensChangeNothing(t *testing.T) {
	dir := t.TempDir()
	p := startPlatformIn(t, dir)
	good, err := p.UserToken(context.Background(), "officer-622901")
	if err != nil {
		t.Fatal(err)
	}
	providerKey := readProviderKey(t, filepath.Join(dir, "idp", "keys.json"))
	now := time.Now()
	valid := func() jwt.Claims {
		return jwt.Claims{Issuer: p.IdP.Issuer, Audience: jwt.Audience{"fengqiao"}, Subject: "officer-622901",
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}
	}
	officer := map[string]any{"county": "622901", "agency": "bafang-police", "role": "officer", "staff_id": "A1024"}
	withClaims := func(change func(*jwt.Claims)) string {
		c := valid()
		change(&c)
		return signWith(t, providerKey, c, officer)
	}
	for name, tc := range map[string]struct{ token, reason string }{
		"expired": {withClaims(func(c *jwt.Claims) {
			c.IssuedAt, c.NotBefore, c.Expiry = jwt.NewNumericDate(now.Add(-time.Hour)), jwt.NewNumericDate(now.Add(-time.Hour)), jwt.NewNumericDate(now.Add(-30*time.Minute))
		}), "expired"},
		"not yet valid": {withClaims(func(c *jwt.Claims) {
			c.NotBefore, c.Expiry = jwt.NewNumericDate(now.Add(time.Hour)), jwt.NewNumericDate(now.Add(2*time.Hour))
		}), "not valid before"},
		"wrong issuer":         {withClaims(func(c *jwt.Claims) { c.Issuer = "https://idp.example.org" }), "not by the trusted issuer"},
		"wrong audience":       {withClaims(func(c *jwt.Claims) { c.Audience = jwt.Audience{"another-app"} }), "audience"},
		"missing county claim": {signWith(t, providerKey, valid(), map[string]any{"agency": "bafang-police", "role": "officer", "staff_id": "A1024"}), "no county claim"},
		"wrong signature":      {alter(t, good), "signature does not verify"},
		"unknown kid":          {signWith(t, newKey(t, "forged"), valid(), officer), "does not publish"},
		"alg none":             {unsigned(good), "accepted algorithm"},
		"no token":             {"", "no bearer token"},
	} {
		status, body := register(t, p, tc.token)
		if status != http.StatusUnauthorized || !strings.Contains(body, tc.reason) {
			t.Errorf("%s: %d %s, want a 401 saying %q", name, status, body, tc.reason)
		}
	}
	if n := servicetest.CountTopic(t, p.Infra.Brokers, events.TopicDisputes); n != 0 {
		t.Fatalf("%d disputes published for refused requests", n)
	}
	if status, body := register(t, p, signWith(t, providerKey, valid(), officer)); status != http.StatusCreated {
		t.Fatalf("a well-formed token signed with the provider's key: %d %s", status, body)
	}
}

func readProviderKey(t *testing.T, path string) jose.JSONWebKey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil || len(set.Keys) == 0 {
		t.Fatalf("cannot read the provider's keys: %v", err)
	}
	return set.Keys[0]
}

func newKey(t *testing.T, kid string) jose.JSONWebKey {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return jose.JSONWebKey{Key: key, KeyID: kid, Algorithm: string(jose.RS256)}
}

func signWith(t *testing.T, key jose.JSONWebKey, claims ...any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	b := jwt.Signed(signer)
	for _, c := range claims {
		b = b.Claims(c)
	}
	raw, err := b.Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func register(t *testing.T, p *devstack.Platform, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.URLs["intake"]+"/v1/disputes", strings.NewReader(`{
	  "channel": "alert_110", "external_ref": "110-20261123-0042", "county_code": "622901",
	  "place": {"township_code": "622901001", "village_code": "622901001001"}, "category": "neighbour",
	  "parties": [{"role": "applicant", "name": "张三", "phone": "13812345678"}, {"role": "respondent", "name": "李四"}],
	  "summary": "院墙争执", "narrative": "两户因院墙位置发生争执。"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// alter rewrites the token's claims to another county, keeping the
// provider's signature of the original.
func alter(t *testing.T, token string) string {
	parts := strings.Split(token, ".")
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(claims), `"622901"`, `"370202"`, 1)))
	return strings.Join(parts, ".")
}

// unsigned keeps the token's header and claims, says "alg": "none" and
// drops the signature.
func unsigned(token string) string {
	parts := strings.Split(token, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
}
