// Package console is the platform's web console (工作台), in Chinese, for the
// people of the closed loop: officers register disputes and follow them,
// centre staff sign for copies of the slip (签收) or return them (退单),
// the committee reads the county's figures and 红黄蓝预警. Pages are
// rendered on the server; every record comes from the services' APIs,
// called with the signed-in user's own token, so the console owns no data
// and no rule of its own: what a user sees is what the services let them.
package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/identity/bearer"
)

// Name is the console's service name.
const Name = "console"

//go:embed web/templates/*.html
var templateFiles embed.FS

//go:embed web/static
var staticFiles embed.FS

// Options are what a caller other than main may set.
type Options struct {
	// Listener, when set, is where the console serves (devstack binds it
	// first, to register the redirect URI before the provider starts).
	Listener net.Listener
	Logger   *slog.Logger
	// Now is the clock of the deadlines' time left; default time.Now.
	Now func() time.Time
	// Client calls the services and the provider; default a 15-second one.
	Client *http.Client
}

// Console is the running console.
type Console struct {
	cfg      Config
	echo     *echo.Echo
	ln       net.Listener
	srv      *http.Server
	log      *slog.Logger
	now      func() time.Time
	verifier *bearer.Verifier
	cookies  cookies
	provider *provider
	api      *api
	pages    map[string]*template.Template

	mu    sync.Mutex
	names map[string]cachedNames
}

type cachedNames struct {
	names *names
	until time.Time
}

// namesLifetime is how long a county's names are kept: a renamed township
// shows within it.
const namesLifetime = time.Minute

// New builds the console and binds its address.
func New(cfg Config, opts Options) (*Console, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 15 * time.Second}
	}
	sealer, err := newSealer(cfg.SessionKey)
	if err != nil {
		return nil, err
	}
	secure, _ := cfg.secureCookies()
	verifier, err := bearer.New(bearer.Config{Issuer: cfg.Issuer, Audience: cfg.Audience, Client: opts.Client, Now: opts.Now})
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	calls, err := newAPI(cfg.Services, opts.Client)
	if err != nil {
		return nil, err
	}
	ln := opts.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return nil, fmt.Errorf("while listening on %s: %w", cfg.Addr, err)
		}
	}
	s := &Console{
		cfg: cfg, ln: ln, log: opts.Logger.With("service", Name), now: opts.Now, verifier: verifier,
		cookies:  cookies{sealer: sealer, secure: secure},
		provider: &provider{issuer: cfg.Issuer, clientID: cfg.ClientID, redirect: cfg.RedirectURL(), client: opts.Client},
		api:      calls, pages: pages, names: map[string]cachedNames{},
	}
	s.echo = s.routes()
	s.srv = &http.Server{Handler: s.echo, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10}
	return s, nil
}

// URL is where the console listens.
func (s *Console) URL() string { return "http://" + s.ln.Addr().String() }

// Handler serves the console's routes (for tests).
func (s *Console) Handler() http.Handler { return s.echo }

func (s *Console) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorPage
	// The peer's address, never a header the client writes (see
	// .vulncheck-accepted for echo's default).
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(s.accessLog)
	e.Use(securityHeaders(s.cfg.Issuer))
	static, _ := fs.Sub(staticFiles, "web/static")
	e.Match([]string{http.MethodGet, http.MethodHead}, "/static/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static)))))
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/login", s.signInStart)
	e.GET("/callback", s.signInCallback)
	e.POST("/logout", s.signOut)

	g := e.Group("", s.requireUser)
	g.GET("/", s.home)
	g.GET("/find", s.find)
	g.GET("/disputes/new", s.newDispute)
	g.POST("/disputes", s.registerDispute)
	g.GET("/disputes/:id", s.showDispute)
	g.GET("/disputes/:id/timeline", s.showTimeline)
	g.GET("/slips/:id/print", s.printSlip)
	g.GET("/slips/:id/copies/:copy", s.showCopy)
	g.POST("/slips/:id/copies/:copy/accept", s.acceptCopy)
	g.POST("/slips/:id/copies/:copy/return", s.returnCopy)
	g.GET("/mediations/:id", s.showMediation)
	g.POST("/mediations/:id/sessions", s.scheduleSession)
	g.POST("/mediations/:id/sessions/:no/record", s.recordSession)
	g.POST("/mediations/:id/outcome", s.recordOutcome)
	g.GET("/revisits/:id", s.showRevisit)
	g.POST("/revisits/:id/result", s.recordRevisit)
	g.GET("/county", s.county)
	g.GET("/inbox", s.inbox)
	g.GET("/cases", s.cases)
	s.workRoutes(g)
	g.GET("/ledger", s.showLedger)
	g.GET("/ledger.csv", s.ledgerCSV)
	g.GET("/overdue", s.showOverdue)
	g.GET("/overdue.csv", s.overdueCSV)
	g.GET("/watchlist", s.showWatchList)
	g.GET("/disputes/:id/supervision", s.showCaseSupervision)
	g.POST("/disputes/:id/urges", s.urgeCase)
	g.POST("/disputes/:id/urges/:urge/read", s.readUrge)
	g.POST("/disputes/:id/watch", s.watchCase)
	return e
}

// securityHeaders keep the pages from being framed or sniffed and allow
// scripts and styles from the console itself only; a form may lead to the
// provider, where a post with an expired session is sent to sign in.
func securityHeaders(issuer string) echo.MiddlewareFunc {
	csp := "default-src 'self'; frame-ancestors 'none'; form-action 'self' " + origin(issuer)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cache-Control", "no-store")
			return next(c)
		}
	}
}

func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// accessLog logs each request by its route, never its path or query, which
// can carry a dispute's ID or a search.
func (s *Console) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "http request", slog.String("method", c.Request().Method),
			slog.String("route", c.Path()), slog.Int("status", c.Response().Status), slog.Duration("duration", time.Since(start)))
		return nil
	}
}

// Run serves until ctx is cancelled.
func (s *Console) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("console stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("while stopping the console: %w", err)
	}
	return nil
}

// Close releases the listener when Run will not be called.
func (s *Console) Close() error { return s.ln.Close() }

// namesFor returns the user's county's names, fetched with the user's
// token and kept a minute.
func (s *Console) namesFor(ctx context.Context, u user) (*names, error) {
	s.mu.Lock()
	cached, ok := s.names[u.County]
	s.mu.Unlock()
	if ok && s.now().Before(cached.until) {
		return cached.names, nil
	}
	j, err := typed(s.api.intake.GetJurisdictionWithResponse(ctx, as(u.Token)))
	if err != nil {
		return nil, fmt.Errorf("while reading the county's jurisdiction tree: %w", err)
	}
	t, err := typed(s.api.intake.ListCategoriesWithResponse(ctx, as(u.Token)))
	if err != nil {
		return nil, fmt.Errorf("while reading the county's categories: %w", err)
	}
	n := newNames(jurisdictionOf(j), taxonomyOf(t))
	s.mu.Lock()
	s.names[u.County] = cachedNames{names: n, until: s.now().Add(namesLifetime)}
	s.mu.Unlock()
	return n, nil
}
