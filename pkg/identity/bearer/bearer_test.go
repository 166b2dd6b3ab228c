package bearer

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"fengqiao.dev/pkg/identity"
)

// provider is a test issuer: a discovery document and a key set it can
// change while the verifier runs, and a signer for tokens.
type provider struct {
	srv     *httptest.Server
	mu      sync.Mutex
	keys    []jose.JSONWebKey // published
	fetches int
}

func newProvider(t testing.TB) *provider {
	p := &provider{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": p.srv.URL, "jwks_uri": p.srv.URL + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.fetches++
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: p.keys})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

// signingKey is a private key and its ID.
type signingKey struct {
	kid string
	alg jose.SignatureAlgorithm
	key any
}

func rsaKey(t testing.TB, kid string) signingKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return signingKey{kid, jose.RS256, k}
}

func (p *provider) publish(keys ...signingKey) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = nil
	for _, k := range keys {
		priv := jose.JSONWebKey{Key: k.key, KeyID: k.kid, Algorithm: string(k.alg), Use: "sig"}
		p.keys = append(p.keys, priv.Public())
	}
}

func sign(t testing.TB, k signingKey, claims ...any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: jose.JSONWebKey{Key: k.key, KeyID: k.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
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

var officer = Claims{County: "622901", Agency: "pcs-chengbei", Role: "officer", StaffID: "A1024"}

func (p *provider) registered(now time.Time) jwt.Claims {
	return jwt.Claims{
		Issuer: p.srv.URL, Audience: jwt.Audience{"fengqiao"}, Subject: "officer-622901",
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}
}

func verifier(t *testing.T, p *provider) *Verifier {
	v, err := New(Config{Issuer: p.srv.URL, Audience: "fengqiao", MinRefresh: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func request(token string) *http.Request {
	r := httptest.NewRequest("GET", "/v1/disputes/x", nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

func TestVerifierAcceptsAGoodToken(t *testing.T) {
	p := newProvider(t)
	key := rsaKey(t, "k1")
	p.publish(key)
	got, err := verifier(t, p).Authenticate(request(sign(t, key, p.registered(time.Now()), officer)))
	if err != nil {
		t.Fatal(err)
	}
	want := identity.Caller{County: "622901", Agency: "pcs-chengbei", Role: identity.RoleOfficer, Officer: "A1024"}
	if got != want {
		t.Fatalf("caller = %+v, want %+v", got, want)
	}
}

func TestVerifierAcceptsES256AndAgencySystems(t *testing.T) {
	p := newProvider(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key := signingKey{"ec1", jose.ES256, ec}
	p.publish(key)
	reg := p.registered(time.Now())
	reg.Subject = "court-622901"
	got, err := verifier(t, p).Authenticate(request(sign(t, key, reg, Claims{County: "622901", Agency: "court-622901", Role: "agency_system"})))
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != identity.RoleSystem || got.Officer != "court-622901" {
		t.Fatalf("caller = %+v, want the agency system known by its client ID", got)
	}
}

// TestVerifierRefusesBadTokens: every way a token can be wrong is a refusal
// whose reason names what is wrong.
func TestVerifierRefusesBadTokens(t *testing.T) {
	p := newProvider(t)
	key := rsaKey(t, "k1")
	p.publish(key)
	now := time.Now()
	other := rsaKey(t, "k1") // same key ID, another key: a forgery
	stranger := rsaKey(t, "k9")
	with := func(f func(*jwt.Claims)) jwt.Claims {
		c := p.registered(now)
		f(&c)
		return c
	}
	noCounty := officer
	noCounty.County = ""
	noStaff := officer
	noStaff.StaffID = ""
	badRole := officer
	badRole.Role = "admin"
	for _, tc := range []struct {
		name, token, reason string
	}{
		{"no token", "", "no bearer token"},
		{"not a JWT", "abc.def", "not a JWT"},
		{"expired", sign(t, key, with(func(c *jwt.Claims) {
			c.IssuedAt, c.NotBefore, c.Expiry = jwt.NewNumericDate(now.Add(-2*time.Hour)), jwt.NewNumericDate(now.Add(-2*time.Hour)), jwt.NewNumericDate(now.Add(-time.Hour))
		}), officer), "expired"},
		{"not yet valid", sign(t, key, with(func(c *jwt.Claims) {
			c.NotBefore, c.Expiry = jwt.NewNumericDate(now.Add(time.Hour)), jwt.NewNumericDate(now.Add(2*time.Hour))
		}), officer), "not valid before"},
		{"no expiry", sign(t, key, with(func(c *jwt.Claims) { c.Expiry = nil }), officer), "no expiry"},
		{"wrong issuer", sign(t, key, with(func(c *jwt.Claims) { c.Issuer = "https://idp.example.org" }), officer), "not by the trusted issuer"},
		{"wrong audience", sign(t, key, with(func(c *jwt.Claims) { c.Audience = jwt.Audience{"another-app"} }), officer), "audience"},
		{"wrong signature", sign(t, other, p.registered(now), officer), "signature does not verify"},
		{"unknown kid", sign(t, stranger, p.registered(now), officer), `key "k9", which the issuer does not publish`},
		{"alg none", unsigned(t, p.registered(now), officer), "not a JWT signed with an accepted algorithm"},
		{"HS256 with the public key as secret", hmacWithPublicKey(t, key, p.registered(now), officer), "not a JWT signed with an accepted algorithm"},
		{"missing county claim", sign(t, key, p.registered(now), noCounty), "no county claim"},
		{"missing staff ID", sign(t, key, p.registered(now), noStaff), "no staff_id claim"},
		{"unknown role", sign(t, key, p.registered(now), badRole), "names no role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := verifier(t, p).Authenticate(request(tc.token))
			var refusal *identity.Refusal
			if !errors.As(err, &refusal) || !errors.Is(err, identity.ErrNoIdentity) {
				t.Fatalf("Authenticate = %+v, %v; want a refusal", got, err)
			}
			if !strings.Contains(refusal.Reason, tc.reason) {
				t.Fatalf("reason %q does not say %q", refusal.Reason, tc.reason)
			}
		})
	}
}

// unsigned is a token with "alg": "none", which a careless verifier takes
// as signed.
func unsigned(t testing.TB, claims ...any) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"k1","typ":"JWT"}`))
	merged := map[string]any{}
	for _, c := range claims {
		data, _ := json.Marshal(c)
		_ = json.Unmarshal(data, &merged)
	}
	payload, _ := json.Marshal(merged)
	return header + "." + base64.RawURLEncoding.EncodeToString(payload) + "."
}

// hmacWithPublicKey signs with HS256 keyed by the published public key: a
// verifier that lets the token pick the algorithm would accept it.
func hmacWithPublicKey(t *testing.T, k signingKey, claims ...any) string {
	priv := jose.JSONWebKey{Key: k.key, KeyID: k.kid}
	pub, err := json.Marshal(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return sign(t, signingKey{k.kid, jose.HS256, pub}, claims...)
}

// TestVerifierPicksUpARotatedKey: the provider starts signing with a new
// key; the running verifier fetches the keys again on the unknown key ID and
// accepts it, without a restart, and keeps accepting the old key while the
// provider still publishes it.
func TestVerifierPicksUpARotatedKey(t *testing.T) {
	p := newProvider(t)
	old, next := rsaKey(t, "2026-11"), rsaKey(t, "2026-12")
	p.publish(old)
	v := verifier(t, p)
	if _, err := v.Authenticate(request(sign(t, old, p.registered(time.Now()), officer))); err != nil {
		t.Fatal(err)
	}
	p.publish(next, old)
	for _, k := range []signingKey{next, old} {
		if _, err := v.Authenticate(request(sign(t, k, p.registered(time.Now()), officer))); err != nil {
			t.Fatalf("key %s after the rotation: %v", k.kid, err)
		}
	}
}

// TestVerifierDropsAWithdrawnKey: once the provider withdraws a key, tokens
// it signed stop verifying when the cached keys age out.
func TestVerifierDropsAWithdrawnKey(t *testing.T) {
	p := newProvider(t)
	old, next := rsaKey(t, "old"), rsaKey(t, "new")
	p.publish(old, next)
	now := time.Now()
	v, err := New(Config{Issuer: p.srv.URL, Audience: "fengqiao", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), sign(t, old, p.registered(now), officer)); err != nil {
		t.Fatal(err)
	}
	p.publish(next)
	now = now.Add(16 * time.Minute)
	if _, err := v.Verify(context.Background(), sign(t, old, p.registered(now), officer)); !errors.Is(err, identity.ErrNoIdentity) {
		t.Fatalf("a withdrawn key still verifies: %v", err)
	}
}

// TestVerifierLimitsFetchesForUnknownKeys: a stream of made-up key IDs does
// not become a stream of fetches from the provider.
func TestVerifierLimitsFetchesForUnknownKeys(t *testing.T) {
	p := newProvider(t)
	key := rsaKey(t, "k1")
	p.publish(key)
	v, err := New(Config{Issuer: p.srv.URL, Audience: "fengqiao", MinRefresh: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		forged := rsaKey(t, "forged-"+string(rune('a'+i)))
		_, _ = v.Authenticate(request(sign(t, forged, p.registered(time.Now()), officer)))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fetches != 1 {
		t.Fatalf("the keys were fetched %d times for 20 unknown key IDs, want 1", p.fetches)
	}
}

// TestVerifierSaysWhenTheProviderIsAway: not reaching the provider is not
// the caller's fault and is no refusal.
func TestVerifierSaysWhenTheProviderIsAway(t *testing.T) {
	p := newProvider(t)
	key := rsaKey(t, "k1")
	p.publish(key)
	token := sign(t, key, p.registered(time.Now()), officer)
	v := verifier(t, p)
	p.srv.Close()
	_, err := v.Authenticate(request(token))
	var away *Error
	if !errors.As(err, &away) || errors.Is(err, identity.ErrNoIdentity) {
		t.Fatalf("Authenticate = %v, want a bearer.Error", err)
	}
}

// A prefecture's or province's caller carries the code of its division, and
// no county role carries one: the claim and the role must agree.
func TestClaimsOfThePrefectureAndProvince(t *testing.T) {
	for _, tc := range []struct {
		name   string
		claims Claims
		ok     bool
	}{
		{"a province's supervisor", Claims{County: "620000", Agency: "province", Role: "province", StaffID: "P1"}, true},
		{"a prefecture's supervisor", Claims{County: "622900", Agency: "prefecture", Role: "prefecture", StaffID: "M1"}, true},
		{"a province with a county's code", Claims{County: "622901", Agency: "province", Role: "province", StaffID: "P1"}, false},
		{"a prefecture with a province's code", Claims{County: "620000", Agency: "prefecture", Role: "prefecture", StaffID: "M1"}, false},
		{"a prefecture with a county's code", Claims{County: "622901", Agency: "prefecture", Role: "prefecture", StaffID: "M1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caller, err := tc.claims.Caller()
			if (err == nil) != tc.ok {
				t.Fatalf("Caller() = %+v, %v; want accepted %v", caller, err, tc.ok)
			}
		})
	}
}
