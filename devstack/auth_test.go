package devstack_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
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
func startPlatform(t *testing.T) *devstack.Platform {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p, err := devstack.Start(ctx, devstack.Options{PolicyDir: "../operators/mediationcenter/config/samples", Logger: slog.New(slog.DiscardHandler)})
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
// Prometheus carry none.
var probes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

var pathParam = regexp.MustCompile(`:[a-z]+|\*`)

// TestOnlyProbesAnswerWithoutAToken lists every route every service
// registered and calls it without a token, and with a token that is not
// one: only health, readiness and metrics answer; everything else is a 401
// problem saying what is missing.
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
				if status != http.StatusUnauthorized || header.Get("Content-Type") != problem.MediaType || !strings.Contains(header.Get("WWW-Authenticate"), "Bearer") {
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

func call(t *testing.T, method, url, auth string) (int, string, http.Header) {
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

// TestBadTokensChangeNothing: a registration carrying a forged, altered or
// unsigned token is a 401 saying why, and nothing is stored or published;
// the same registration with the officer's real token is accepted.
func TestBadTokensChangeNothing(t *testing.T) {
	p := startPlatform(t)
	ctx := context.Background()
	good, err := p.UserToken(ctx, "officer-622901")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ token, reason string }{
		"another county in an altered token":           {alter(t, good), "signature does not verify"},
		"signed with a key the issuer never published": {forge(t, p.IdP.Issuer), "does not publish"},
		"alg none": {unsigned(good), "accepted algorithm"},
		"no token": {"", "no bearer token"},
	} {
		status, body := register(t, p, tc.token)
		if status != http.StatusUnauthorized || !strings.Contains(body, tc.reason) {
			t.Errorf("%s: %d %s, want a 401 saying %q", name, status, body, tc.reason)
		}
	}
	if n := servicetest.CountTopic(t, p.Infra.Brokers, events.TopicDisputes); n != 0 {
		t.Fatalf("%d disputes published for refused requests", n)
	}
	if status, body := register(t, p, good); status != http.StatusCreated {
		t.Fatalf("with the officer's token: %d %s", status, body)
	}
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

// forge signs well-formed claims for the right issuer and audience with a
// key of its own.
func forge(t *testing.T, issuer string) string {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "forged"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	raw, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: issuer, Audience: jwt.Audience{"fengqiao"}, Subject: "officer-622901",
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).
		Claims(map[string]any{"county": "622901", "agency": "bafang-police", "role": "officer", "staff_id": "A1024"}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
