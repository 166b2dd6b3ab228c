// Package bearer authenticates a request by its OIDC bearer token: a JWT the
// province's identity provider signed, verified against the keys the
// provider publishes (JWKS). It checks, in this order, that the token is a
// JWS signed with an asymmetric algorithm the platform accepts (never
// "none", never an HMAC a public key could be mistaken for a secret of),
// that its key is one the issuer publishes, that the signature verifies,
// then issuer, audience, expiry and not-before; and last it maps the
// platform's claims to the caller, in Claims.Caller, the one place that
// mapping happens.
//
// Every refusal is an identity.Refusal whose reason says what is wrong with
// the token (expired, wrong audience, unknown key, missing claim), so the
// HTTP server can answer a 401 that helps the caller without saying anything
// about the records the request was after.
package bearer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"fengqiao.dev/pkg/identity"
)

// Algorithms are the signature algorithms a token may be signed with: the
// asymmetric ones an identity provider publishes a public key for. go-jose
// refuses a token whose header names any other, "none" and HS* included.
var Algorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// Leeway is the clock skew tolerated between the provider and the service on
// exp, nbf and iat.
const Leeway = 30 * time.Second

// Config says which tokens a Verifier accepts.
type Config struct {
	// Issuer is the identity provider's issuer URL; a token's iss must be
	// exactly this (AUTH_ISSUER).
	Issuer string
	// Audience must be among a token's aud (AUTH_AUDIENCE).
	Audience string
	// JWKSURL is where the provider publishes its keys (AUTH_JWKS_URL);
	// empty: read from the issuer's discovery document on first use.
	JWKSURL string
	// Client fetches the discovery document and the keys; default a client
	// with a 10-second timeout.
	Client *http.Client
	// Now is the clock the time claims are checked against (default time.Now).
	Now func() time.Time
	// MinRefresh is how long after fetching the keys a token naming an
	// unknown key may make the verifier fetch them again (default 5s), so a
	// stream of forged key IDs cannot turn into a stream of fetches.
	MinRefresh time.Duration
	// MaxAge is how long fetched keys are used before they are fetched again
	// (default 15 minutes), so a key the provider withdrew stops verifying.
	MaxAge time.Duration
}

// Verifier is an identity.Authenticator for OIDC bearer tokens.
type Verifier struct {
	cfg  Config
	keys *keySet
}

// New returns a verifier; it reaches the provider only when the first token
// arrives, so a service does not depend on the provider to start.
func New(cfg Config) (*Verifier, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("cannot verify bearer tokens without an issuer and an audience")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinRefresh <= 0 {
		cfg.MinRefresh = 5 * time.Second
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 15 * time.Minute
	}
	return &Verifier{cfg: cfg, keys: newKeySet(cfg)}, nil
}

// Authenticate implements identity.Authenticator.
func (v *Verifier) Authenticate(r *http.Request) (identity.Caller, error) {
	raw, err := tokenOf(r)
	if err != nil {
		return identity.Caller{}, err
	}
	return v.Verify(r.Context(), raw)
}

// tokenOf reads the token of an "Authorization: Bearer …" header (RFC 6750).
func tokenOf(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", identity.Refuse("the request carries no bearer token (Authorization: Bearer …)")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", identity.Refuse("the Authorization header is not a bearer token (Authorization: Bearer …)")
	}
	return strings.TrimSpace(token), nil
}

// Verify checks a raw token and returns its caller. A token that is wrong is
// an identity.Refusal; not reaching the provider for its keys is another
// error, so the server can tell the caller to retry rather than to log in.
func (v *Verifier) Verify(ctx context.Context, raw string) (identity.Caller, error) {
	tok, err := jwt.ParseSigned(raw, Algorithms)
	if err != nil {
		return identity.Caller{}, identity.Refuse("the bearer token is not a JWT signed with an accepted algorithm (%s)", algorithmNames())
	}
	if len(tok.Headers) != 1 || tok.Headers[0].KeyID == "" {
		return identity.Caller{}, identity.Refuse("the token does not name its signing key (kid)")
	}
	kid := tok.Headers[0].KeyID
	key, err := v.keys.key(ctx, kid)
	if err != nil {
		return identity.Caller{}, err
	}
	if key.Algorithm != "" && key.Algorithm != tok.Headers[0].Algorithm {
		return identity.Caller{}, identity.Refuse("the token's algorithm %s is not the one its key %q is for", tok.Headers[0].Algorithm, kid)
	}
	var registered jwt.Claims
	var own Claims
	if err := tok.Claims(key.Key, &registered, &own); err != nil {
		return identity.Caller{}, identity.Refuse("the token's signature does not verify with the issuer's key %q", kid)
	}
	if err := v.checkRegistered(registered); err != nil {
		return identity.Caller{}, err
	}
	own.Subject = registered.Subject
	return own.Caller()
}

// checkRegistered checks iss, aud, exp, nbf and iat.
func (v *Verifier) checkRegistered(c jwt.Claims) error {
	if c.Expiry == nil {
		return identity.Refuse("the token carries no expiry (exp)")
	}
	err := c.ValidateWithLeeway(jwt.Expected{
		Issuer: v.cfg.Issuer, AnyAudience: jwt.Audience{v.cfg.Audience}, Time: v.cfg.Now(),
	}, Leeway)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, jwt.ErrExpired):
		return identity.Refuse("the token expired at %s", c.Expiry.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrNotValidYet):
		return identity.Refuse("the token is not valid before %s", c.NotBefore.Time().UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return identity.Refuse("the token was issued in the future (iat)")
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return identity.Refuse("the token was issued by %q, not by the trusted issuer %q", c.Issuer, v.cfg.Issuer)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return identity.Refuse("the token is not meant for this platform: its audience does not include %q", v.cfg.Audience)
	default:
		return identity.Refuse("the token's claims are not valid")
	}
}

func algorithmNames() string {
	names := make([]string, len(Algorithms))
	for i, a := range Algorithms {
		names[i] = string(a)
	}
	return strings.Join(names, ", ")
}

// Error reports a verifier that could not reach the provider, for the
// server to tell from a refused token.
type Error struct{ Err error }

func (e *Error) Error() string { return fmt.Sprintf("cannot verify the bearer token now: %v", e.Err) }
func (e *Error) Unwrap() error { return e.Err }
