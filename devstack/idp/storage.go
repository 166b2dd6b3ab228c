package idp

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"fengqiao.dev/pkg/identity"
)

// TokenLifetime is how long an access token is valid: short, as nothing
// revokes a JWT once issued.
const TokenLifetime = 15 * time.Minute

var errUnsupported = errors.New("not supported by the development provider")

// storage is the provider's state: the sample directory, pending
// authorization requests and their codes, in memory (a restart logs
// everyone out, which is what a development provider should do), and the
// keys, on disk.
type storage struct {
	keys    *keyring
	users   map[string]User
	systems map[string]System
	clients map[string]*client

	mu       sync.Mutex
	requests map[string]*authRequest
	codes    map[string]string // code → request ID
}

// defaultConsoleRedirects are where a console run by hand on its
// development port signs in.
var defaultConsoleRedirects = []string{"http://127.0.0.1:5173/callback", "http://localhost:5173/callback"}

func newStorage(keys *keyring, consoleRedirects []string) *storage {
	if len(consoleRedirects) == 0 {
		consoleRedirects = defaultConsoleRedirects
	}
	s := &storage{
		keys: keys, users: map[string]User{}, systems: map[string]System{}, clients: map[string]*client{},
		requests: map[string]*authRequest{}, codes: map[string]string{},
	}
	for _, u := range Users() {
		s.users[u.Name] = u
	}
	for _, sys := range Systems() {
		s.systems[sys.ClientID] = sys
		s.clients[sys.ClientID] = &client{id: sys.ClientID, secret: DevSecret, authMethod: oidc.AuthMethodBasic,
			appType: op.ApplicationTypeWeb, grants: []oidc.GrantType{oidc.GrantTypeClientCredentials}}
	}
	s.clients[ConsoleClient] = &client{id: ConsoleClient, authMethod: oidc.AuthMethodNone, appType: op.ApplicationTypeUserAgent,
		redirects: consoleRedirects,
		grants:    []oidc.GrantType{oidc.GrantTypeCode}}
	s.clients[CLIClient] = &client{id: CLIClient, authMethod: oidc.AuthMethodNone, appType: op.ApplicationTypeNative,
		redirects: []string{CLIRedirect}, grants: []oidc.GrantType{oidc.GrantTypeCode}}
	return s
}

// login checks a user's password and, if right, completes the request.
func (s *storage) login(requestID, name, password string) error {
	u, ok := s.users[name]
	if !ok || subtle.ConstantTimeCompare([]byte(password), []byte(DevPassword)) != 1 {
		return errors.New("unknown user or wrong password")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[requestID]
	if !ok {
		return errors.New("the login request expired; start again from the application")
	}
	r.userID, r.done, r.authTime = u.Name, true, time.Now()
	return nil
}

// callerOf is the identity of a subject: a user's login name or a system's
// client ID.
func (s *storage) callerOf(subject string) (identity.Caller, error) {
	if u, ok := s.users[subject]; ok {
		return u.Caller, nil
	}
	if sys, ok := s.systems[subject]; ok {
		return sys.Caller, nil
	}
	return identity.Caller{}, fmt.Errorf("no such subject %q", subject)
}

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired()
	}
	r := &authRequest{id: uuid.NewString(), req: *req, created: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[r.id] = r
	return r, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return nil, errors.New("no such authorization request")
	}
	return r, nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("the code is invalid or was used")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest runs when the code was exchanged: the code is single-use.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return uuid.NewString(), time.Now().Add(TokenLifetime), nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errUnsupported // no client has the refresh_token grant
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, errUnsupported
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(context.Context, string, string, string) *oidc.Error {
	return oidc.ErrUnsupportedGrantType().WithDescription("tokens are short-lived and not revocable")
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.keys.signing(), nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) { return s.keys.public(), nil }

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, errors.New("no such client")
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || c.secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) != 1 {
		return errors.New("unknown client or wrong secret")
	}
	return nil
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token and the userinfo response.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	return s.userinfo(info, req.GetSubject())
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.userinfo(info, subject)
}

func (s *storage) userinfo(info *oidc.UserInfo, subject string) error {
	c, err := s.callerOf(subject)
	if err != nil {
		return err
	}
	info.Subject, info.PreferredUsername = subject, subject
	for k, v := range claims(c) {
		info.AppendClaims(k, v)
	}
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errUnsupported // the services verify the JWT themselves
}

// GetPrivateClaimsFromScopes puts the platform's claims in every access
// token, whatever the scopes: the services need them on every request.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, subject, _ string, _ []string) (map[string]any, error) {
	c, err := s.callerOf(subject)
	if err != nil {
		return nil, err
	}
	return claims(c), nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errUnsupported
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errUnsupported
}

func (s *storage) Health(context.Context) error { return nil }

// ClientCredentials authenticates an agency's system.
func (s *storage) ClientCredentials(ctx context.Context, id, secret string) (op.Client, error) {
	if _, ok := s.systems[id]; !ok {
		return nil, errors.New("unknown client or wrong secret")
	}
	if err := s.AuthorizeClientIDSecret(ctx, id, secret); err != nil {
		return nil, err
	}
	return s.clients[id], nil
}

func (s *storage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	return &oidc.JWTTokenRequest{Subject: id, Audience: []string{Audience}, Scopes: scopes}, nil
}

// authRequest is one authorization request, from /authorize to the code's
// exchange.
type authRequest struct {
	id       string
	req      oidc.AuthRequest
	created  time.Time
	userID   string
	done     bool
	authTime time.Time
}

func (a *authRequest) GetID() string  { return a.id }
func (a *authRequest) GetACR() string { return "" }
func (a *authRequest) GetAMR() []string {
	if a.done {
		return []string{"pwd"}
	}
	return nil
}

// GetAudience: the platform's API, and the client, which reads its ID token.
func (a *authRequest) GetAudience() []string              { return []string{Audience, a.req.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.authTime }
func (a *authRequest) GetClientID() string                { return a.req.ClientID }
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.userID }
func (a *authRequest) Done() bool                         { return a.done }

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}

// client is a registered client of the provider.
type client struct {
	id         string
	secret     string
	authMethod oidc.AuthMethod
	appType    op.ApplicationType
	redirects  []string
	grants     []oidc.GrantType
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string    { return nil }
func (c *client) ApplicationType() op.ApplicationType { return c.appType }
func (c *client) AuthMethod() oidc.AuthMethod         { return c.authMethod }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType        { return c.grants }
func (c *client) LoginURL(id string) string           { return loginPath + "?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration      { return TokenLifetime }

// DevMode allows plain-http redirect URIs on 127.0.0.1, which is all
// `make run` has.
func (c *client) DevMode() bool { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
