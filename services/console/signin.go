package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"fengqiao.dev/pkg/identity"
)

// signInLifetime bounds a sign-in in progress: long enough to type a
// password, short enough that a stolen sign-in cookie is soon useless.
const signInLifetime = 10 * time.Minute

// sessionLifetime bounds the session cookie; the access token inside it
// expires sooner, and is refreshed, or the user signs in again.
const sessionLifetime = 12 * time.Hour

// expirySlack renews a token this long before it expires, so a request
// never reaches a service with a token about to lapse on the way.
const expirySlack = 30 * time.Second

// provider is the OIDC provider's endpoints, discovered on first use so the
// console starts without it.
type provider struct {
	issuer, clientID, redirect string
	client                     *http.Client

	mu  sync.Mutex
	cfg *oauth2.Config
}

func (p *provider) oauth(ctx context.Context) (*oauth2.Config, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg != nil {
		return p.cfg, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(p.issuer, "/")+"/.well-known/openid-configuration", nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the identity provider: %w", err)
	}
	defer resp.Body.Close()
	var doc struct {
		Authorization string `json:"authorization_endpoint"`
		Token         string `json:"token_endpoint"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil || doc.Authorization == "" || doc.Token == "" {
		return nil, fmt.Errorf("the identity provider's discovery document (%s) names no endpoints: %v", resp.Status, err)
	}
	p.cfg = &oauth2.Config{
		ClientID: p.clientID, RedirectURL: p.redirect, Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: doc.Authorization, TokenURL: doc.Token, AuthStyle: oauth2.AuthStyleInParams},
	}
	return p.cfg, nil
}

// signInStart sends the browser to the provider: the authorization-code
// flow with PKCE (S256), the state and verifier kept in a sealed cookie.
func (s *Console) signInStart(c echo.Context) error {
	cfg, err := s.provider.oauth(c.Request().Context())
	if err != nil {
		return err
	}
	in := signIn{State: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier(), Next: localPath(c.QueryParam("next")),
		Until: s.now().Add(signInLifetime)}
	if err := s.cookies.set(c.Response(), signInCookie, in, signInLifetime); err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, cfg.AuthCodeURL(in.State, oauth2.S256ChallengeOption(in.Verifier)))
}

// signInCallback exchanges the code for tokens, checks the access token is
// one the services will accept, and opens the session.
func (s *Console) signInCallback(c echo.Context) error {
	var in signIn
	if err := s.cookies.get(c.Request(), signInCookie, &in); err != nil || s.now().After(in.Until) {
		return s.renderSignInProblem(c, "登录已超时，请重新登录。")
	}
	s.cookies.clear(c.Response(), signInCookie)
	if e := c.QueryParam("error"); e != "" {
		return s.renderSignInProblem(c, "身份认证服务拒绝了登录："+e)
	}
	if c.QueryParam("state") == "" || c.QueryParam("state") != in.State {
		return s.renderSignInProblem(c, "登录请求不匹配，请重新登录。")
	}
	cfg, err := s.provider.oauth(c.Request().Context())
	if err != nil {
		return err
	}
	tok, err := cfg.Exchange(s.clientContext(c.Request().Context()), c.QueryParam("code"), oauth2.VerifierOption(in.Verifier))
	if err != nil {
		return fmt.Errorf("while exchanging the authorization code: %w", err)
	}
	if _, err := s.verifier.Verify(c.Request().Context(), tok.AccessToken); err != nil {
		s.log.WarnContext(c.Request().Context(), "the provider's token is not one the services accept", "err", err)
		return s.renderSignInProblem(c, "该账号的令牌不能用于本平台，请联系管理员。")
	}
	if err := s.openSession(c, tok); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, in.Next)
}

func (s *Console) openSession(c echo.Context, tok *oauth2.Token) error {
	return s.cookies.set(c.Response(), sessionCookie, session{
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry,
	}, sessionLifetime)
}

// signOut forgets the session. The provider keeps no session of its own
// for the console to end.
func (s *Console) signOut(c echo.Context) error {
	s.cookies.clear(c.Response(), sessionCookie)
	return s.render(c, http.StatusOK, "signedout", page{Title: "已退出"})
}

// user is the signed-in person of a request.
type user struct {
	identity.Caller
	Token string
}

var errSignInAgain = errors.New("the session has ended")

// requireUser reads the session; without one, or with a token that can no
// longer be renewed, the browser goes to sign in and comes back.
func (s *Console) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := s.userOf(c)
		if err != nil {
			s.cookies.clear(c.Response(), sessionCookie)
			return s.toSignIn(c)
		}
		c.Set("user", u)
		err = next(c)
		if errors.Is(err, errUnauthorized) {
			// A service refused the token (expired early, keys rotated
			// away): signing in again is the way out.
			s.cookies.clear(c.Response(), sessionCookie)
			return s.toSignIn(c)
		}
		return err
	}
}

func (s *Console) toSignIn(c echo.Context) error {
	next := c.Request().URL.RequestURI()
	if c.Request().Method != http.MethodGet {
		next = c.Request().URL.Path // the form is lost; come back to its page
	}
	return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
}

func (s *Console) userOf(c echo.Context) (user, error) {
	var ses session
	if err := s.cookies.get(c.Request(), sessionCookie, &ses); err != nil {
		return user{}, errSignInAgain
	}
	if s.now().Add(expirySlack).After(ses.Expiry) {
		renewed, err := s.refresh(c, ses)
		if err != nil {
			return user{}, errSignInAgain
		}
		ses = renewed
	}
	caller, err := s.verifier.Verify(c.Request().Context(), ses.AccessToken)
	if err != nil {
		return user{}, errSignInAgain
	}
	return user{Caller: caller, Token: ses.AccessToken}, nil
}

// refresh renews an expiring token with its refresh token, when the
// provider issued one (the development provider does not: its users sign
// in again).
func (s *Console) refresh(c echo.Context, ses session) (session, error) {
	if ses.RefreshToken == "" {
		return session{}, errSignInAgain
	}
	cfg, err := s.provider.oauth(c.Request().Context())
	if err != nil {
		return session{}, err
	}
	tok, err := cfg.TokenSource(s.clientContext(c.Request().Context()), &oauth2.Token{RefreshToken: ses.RefreshToken}).Token()
	if err != nil {
		return session{}, fmt.Errorf("while refreshing the token: %w", err)
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = ses.RefreshToken
	}
	if err := s.openSession(c, tok); err != nil {
		return session{}, err
	}
	return session{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}, nil
}

func (s *Console) clientContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.provider.client)
}

// localPath keeps a redirect target on this site: only a path, never
// another origin.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Console) renderSignInProblem(c echo.Context, msg string) error {
	return s.render(c, http.StatusBadRequest, "signedout", page{Title: "登录失败", Flash: msg})
}

func currentUser(c echo.Context) user {
	u, _ := c.Get("user").(user)
	return u
}
