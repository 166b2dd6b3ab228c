package httpserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/internal/diskfull"
	"fengqiao.dev/pkg/messaging"
	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/telemetry"
)

// instrument starts a server span per request, continuing the caller's trace.
// The contrib otelecho middleware is gone (its successor supports Echo v5
// only), and this is all we need of it. Spans are named by route, never by
// path: paths carry IDs.
//
// The same middleware records the request's duration, so the span and the
// metric agree on route and status.
func instrument(tracer trace.Tracer, duration metric.Float64Histogram, service string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			req := c.Request()
			ctx := telemetry.Propagator.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			ctx, span := tracer.Start(ctx, req.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(
					attribute.String("http.request.method", req.Method), attribute.String("http.route", route),
					attribute.String("server.address", req.Host), attribute.String("service.component", service),
				))
			defer span.End()
			c.SetRequest(req.WithContext(ctx))
			err := next(c)
			if err != nil {
				c.Error(err) // render now, so the status below is final
			}
			status := c.Response().Status
			span.SetAttributes(attribute.Int("http.response.status_code", status))
			if status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(status))
			}
			duration.Record(ctx, time.Since(start).Seconds(), metric.WithAttributes(
				attribute.String("http.request.method", req.Method), attribute.String("http.route", route),
				attribute.Int("http.response.status_code", status)))
			return nil
		}
	}
}

// accessLog writes one structured line per request: no query string, no
// body, no headers — those may hold personal data.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			req := c.Request()
			sc := trace.SpanContextFromContext(req.Context())
			log.LogAttrs(req.Context(), slog.LevelInfo, "http request",
				slog.String("method", req.Method), slog.String("route", c.Path()),
				slog.Int("status", c.Response().Status), slog.Duration("duration", time.Since(start)),
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("trace_id", sc.TraceID().String()))
			return nil
		}
	}
}

func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("handler panicked", "route", c.Path(), "panic", fmt.Sprint(r))
					err = problem.Internal()
				}
			}()
			return next(c)
		}
	}
}

// authenticate establishes the caller and, with authorize, checks that the
// caller's role may use the route at all — before any record is loaded, so
// the refusal says nothing about one. A path that matches no route passes
// on to its 404.
func authenticate(auth identity.Authenticator, authorize func(method, route string, caller identity.Caller) error) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			caller, err := auth.Authenticate(c.Request())
			var refusal *identity.Refusal
			switch {
			case errors.As(err, &refusal):
				// RFC 6750: a client learns from the challenge to fetch a token.
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="fengqiao", error="invalid_token"`)
				return problem.Unauthenticated(refusal.Reason)
			case err != nil:
				return problem.Unavailable("the caller's credentials cannot be verified now (the identity provider is not reachable); retry shortly")
			}
			if route := c.Path(); authorize != nil && route != apiPrefix && route != apiPrefix+"/*" {
				if err := authorize(c.Request().Method, route, caller); err != nil {
					return problem.Forbidden(err.Error())
				}
			}
			c.SetRequest(c.Request().WithContext(identity.WithCaller(c.Request().Context(), caller)))
			return next(c)
		}
	}
}

// storageFullRetryAfter is the Retry-After, in seconds, of a write refused
// for want of space: long enough not to hammer a full store, short enough
// that a client resumes soon after room is made.
const storageFullRetryAfter = "30"

// errorHandler renders every error as problem+json, or as the facade
// whose path the request is under renders it.
func errorHandler(log *slog.Logger, rendererOf func(path string) ErrorRenderer) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := toProblem(err, log, c)
		p.Instance = c.Request().URL.Path
		if render := rendererOf(p.Instance); render != nil {
			if err := render(c, p); err != nil {
				log.WarnContext(c.Request().Context(), "cannot write a refusal", "route", c.Path(), "err", err)
			}
			return
		}
		c.Response().Header().Set(echo.HeaderContentType, problem.MediaType)
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
	}
}

func toProblem(err error, log *slog.Logger, c echo.Context) *problem.Details {
	var p *problem.Details
	if errors.As(err, &p) {
		cp := *p
		return &cp
	}
	if errors.Is(err, messaging.ErrMessageTooLarge) {
		return problem.TooLarge(fmt.Sprintf("the request would produce an event over the %d bytes the platform publishes; shorten its text", messaging.MaxMessageBytes))
	}
	if errors.Is(err, precondition.ErrStale) {
		return problem.PreconditionFailed("the record changed since the read whose ETag If-Match names: read it again and decide again")
	}
	if errors.Is(err, docstore.ErrConflict) {
		// Another change of the same record won the race and this one ran
		// out of its retry budget: the caller reloads and decides again,
		// at once, instead of waiting behind the other writers.
		return problem.Conflict("the record was changed by someone else at the same moment; reload it and try again")
	}
	if diskfull.Is(err) {
		// The store refused the write whole (nothing half-done to report);
		// a client told 500 would not know that waiting helps. Logged, as
		// an operator must make room.
		log.ErrorContext(c.Request().Context(), "storage full: write refused", "route", c.Path(), "err", err)
		c.Response().Header().Set("Retry-After", storageFullRetryAfter)
		return problem.StorageFull()
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return &problem.Details{
			Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code, Detail: fmt.Sprint(he.Message),
		}
	}
	log.ErrorContext(c.Request().Context(), "request failed", "route", c.Path(), "err", err)
	return problem.Internal()
}
