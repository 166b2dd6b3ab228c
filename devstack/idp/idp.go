// Package idp is the OpenID provider `make run` and the tests log in with: a
// real OP (zitadel/oidc's op package — discovery, JWKS, the authorization
// code flow with PKCE for people, client credentials for agencies' systems,
// JWT access tokens) serving the sample counties' users and agency clients
// of directory.go. Its signing keys live in a file, so tokens survive a
// restart, and rotate without one. In production the province's own
// identity provider takes its place (docs/security.md).
package idp

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// loginPath is the provider's login page, where the authorization endpoint
// sends a person who is not logged in.
const loginPath = "/login"

// Options configure the provider.
type Options struct {
	// Addr is the listen address, e.g. "127.0.0.1:8090" or "127.0.0.1:0".
	Addr string
	// KeyFile holds the signing keys (a JWK set); empty: keys live in memory.
	KeyFile string
	Logger  *slog.Logger
	// ConsoleRedirects are the web console's redirect URIs (its public URL
	// and /callback); empty: a console on 127.0.0.1:5173 or localhost:5173.
	ConsoleRedirects []string
}

// Provider is a running OpenID provider.
type Provider struct {
	// Issuer is the provider's issuer URL: what the services trust.
	Issuer string
	keys   *keyring
	ln     net.Listener
	srv    *http.Server
}

// New builds the provider and binds its address, so Issuer is known before
// Run.
func New(opts Options) (*Provider, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	keys, err := openKeyring(opts.KeyFile)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("while listening on %s: %w", opts.Addr, err)
	}
	p := &Provider{Issuer: "http://" + ln.Addr().String(), keys: keys, ln: ln}
	handler, err := p.handler(newStorage(keys, opts.ConsoleRedirects), opts.Logger)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	p.srv = &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second}
	return p, nil
}

func (p *Provider) handler(s *storage, log *slog.Logger) (http.Handler, error) {
	var cryptoKey [32]byte // encrypts the authorization codes; new at every start, as the requests are
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, err
	}
	provider, err := op.NewProvider(&op.Config{CryptoKey: cryptoKey, CodeMethodS256: true, AuthMethodPost: true},
		s, op.StaticIssuer(p.Issuer), op.WithAllowInsecure(), op.WithLogger(log.With("component", "idp")))
	if err != nil {
		return nil, fmt.Errorf("while building the OpenID provider: %w", err)
	}
	mux := http.NewServeMux()
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	mux.Handle(loginPath, interceptor.HandlerFunc(loginHandler(s, op.AuthCallbackURL(provider))))
	mux.Handle("/", provider)
	return mux, nil
}

// RotateKey makes a new key sign from now on; tokens signed with the old
// one still verify, as it stays published.
func (p *Provider) RotateKey() error { return p.keys.Rotate() }

// Run serves until ctx is cancelled.
func (p *Provider) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- p.srv.Serve(p.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("identity provider stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("while stopping the identity provider: %w", err)
	}
	return nil
}

// Close releases the listener when Run will not be called.
func (p *Provider) Close() error { return p.ln.Close() }

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Fengqiao development login</title></head>
<body><h1>Fengqiao development login</h1>
<p>Sample users: officer-, centre-, mediator-, committee- or supervisor- followed by 622901, 620902 or 370202; province-62 or -37 and prefecture-6229, -6209 or -3702 for the figures above the counties; and every mediator of the sample rosters by roster ID (lx-zq-v01, …).</p>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="id" value="{{.ID}}">
<label>User <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form></body></html>`))

// loginHandler shows the login form (GET) and checks it (POST); on success
// it sends the browser back to the authorization endpoint, which issues
// the code.
func loginHandler(s *storage, callback func(context.Context, string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "cannot read the form", http.StatusBadRequest)
			return
		}
		switch r.Method {
		case http.MethodGet:
			renderLogin(w, r.FormValue("authRequestID"), "")
		case http.MethodPost:
			id := r.FormValue("id")
			if err := s.login(id, r.FormValue("username"), r.FormValue("password")); err != nil {
				w.WriteHeader(http.StatusUnauthorized)
				renderLogin(w, id, err.Error())
				return
			}
			http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	}
}

func renderLogin(w http.ResponseWriter, id, problem string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = loginPage.Execute(w, struct{ ID, Error string }{id, problem})
}
