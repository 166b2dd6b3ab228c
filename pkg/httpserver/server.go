// Package httpserver bootstraps a service's echo server: request IDs, slog
// access logs, OpenTelemetry spans, RFC 9457 problem+json errors, the caller
// identity seam, /healthz and /readyz, /metrics, and graceful shutdown.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/identity"
)

// Check is a readiness check (a broker or store ping).
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// Options configure a server.
type Options struct {
	Service string // service.name, for logs and spans
	Addr    string // listen address, e.g. ":8080" or "127.0.0.1:0"
	Logger  *slog.Logger
	Tracer  trace.TracerProvider
	// Meter records http.server.request.duration per route, method and
	// status; without it nothing is recorded.
	Meter metric.MeterProvider
	Ready []Check
	// Auth establishes the caller of every /v1 request (required: there is
	// no default, so a server never believes callers by accident).
	Auth identity.Authenticator
	// Authorize, when set, decides whether the caller may use the route
	// (its method and registered path, e.g. "GET", "/v1/slips/:id") before
	// the handler runs; its error's text is the 403's detail.
	Authorize func(method, route string, caller identity.Caller) error
	// Metrics, when set, is served at GET /metrics (the service's own
	// Prometheus registry, telemetry.Providers.Prometheus).
	Metrics http.Handler
	// Limits bound time, size and rate per request and client; zero fields
	// take config.DefaultHTTPLimits'.
	Limits config.HTTPLimits
	// OpenAPI, when set, is served at GET /openapi.json without a token:
	// the service's part of the platform's contract, for clients to
	// discover and generate from.
	OpenAPI []byte
}

// Server is a service's HTTP server.
type Server struct {
	Echo *echo.Echo
	// API is the group under /v1 whose handlers see an authenticated caller.
	API  *echo.Group
	opts Options
	ln   net.Listener
	// readiness is the last /readyz answer, for the fengqiao.service.ready
	// gauge; unknown until the first probe.
	readiness *readiness
	// renderers write the refusals of a facade in its standard's format.
	renderers []prefixRenderer
}

// New builds the server and binds its address, so Addr is known before Run.
func New(opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Tracer == nil {
		opts.Tracer = trace.NewNoopTracerProvider()
	}
	if opts.Meter == nil {
		opts.Meter = noop.NewMeterProvider()
	}
	if opts.Auth == nil {
		return nil, errors.New("cannot serve an API without an authenticator")
	}
	opts.Limits = opts.Limits.WithDefaults()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("while listening on %s: %w", opts.Addr, err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The peer's address, never X-Forwarded-For: a header the client
	// writes itself would let it pick its own rate-limit bucket.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(middleware.RequestID())
	e.Use(instrument(opts.Tracer.Tracer("fengqiao.dev/pkg/httpserver"), newRequestDuration(opts.Meter), opts.Service))
	e.Use(accessLog(opts.Logger))
	e.Use(recoverer(opts.Logger))
	if opts.Limits.RatePerSecond > 0 {
		e.Use(rateLimit(opts.Limits))
	}
	e.Use(withLimits(opts.Limits))
	s := &Server{Echo: e, opts: opts, ln: ln, readiness: newReadiness(opts.Meter)}
	e.HTTPErrorHandler = errorHandler(opts.Logger, s.rendererOf)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", s.ready)
	if opts.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(opts.Metrics))
	}
	if opts.OpenAPI != nil {
		e.GET("/openapi.json", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, opts.OpenAPI) })
	}
	s.API = e.Group(apiPrefix, authenticate(opts.Auth, opts.Authorize), conditional())
	return s, nil
}

// apiPrefix is where the API's routes are, behind authentication.
const apiPrefix = "/v1"

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Run serves until ctx is cancelled, then drains in-flight requests.
func (s *Server) Run(ctx context.Context) error {
	l := s.opts.Limits
	srv := &http.Server{
		Handler:           s.Echo,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout, MaxHeaderBytes: l.MaxHeaderBytes,
		ErrorLog: slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("while shutting down http server: %w", err)
	}
	return nil
}

func (s *Server) ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	failing := map[string]string{}
	for _, chk := range s.opts.Ready {
		if err := chk.Run(ctx); err != nil {
			failing[chk.Name] = err.Error()
		}
	}
	s.readiness.record(len(failing) == 0)
	if len(failing) > 0 {
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "failing": failing})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// Caller is the identity the API group authenticated for the request
// (pkg/identity): every route of the group has one.
func Caller(c echo.Context) identity.Caller {
	caller, _ := identity.FromContext(c.Request().Context())
	return caller
}
