package httpserver

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/problem"
)

// limitsKey holds the server's limits in the echo context, for DecodeJSON.
const limitsKey = "fengqiao.httpserver.limits"

// withLimits hands the limits to DecodeJSON and bounds the body: a declared
// length over the limit is refused before reading, an undeclared one when
// reading reaches it.
func withLimits(l config.HTTPLimits) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(limitsKey, l)
			req := c.Request()
			if req.ContentLength > l.MaxBodyBytes {
				return bodyTooLarge(l.MaxBodyBytes)
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, l.MaxBodyBytes)
			return next(c)
		}
	}
}

func limitsOf(c echo.Context) config.HTTPLimits {
	if l, ok := c.Get(limitsKey).(config.HTTPLimits); ok {
		return l
	}
	return config.DefaultHTTPLimits()
}

func bodyTooLarge(limit int64) *problem.Details {
	return problem.TooLarge(fmt.Sprintf("the request body is over %d bytes", limit))
}

// unmetered are the probes and the scrape: kubelet and Prometheus call them
// often from one address, and they must answer when the API is flooded.
var unmetered = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// rateLimit gives each client (the connection's IP address) a token bucket.
// It runs before authentication, so that a flood of requests with a bad
// identity is refused as cheaply as one with a good identity.
func rateLimit(l config.HTTPLimits) echo.MiddlewareFunc {
	retryAfter := strconv.Itoa(int(math.Ceil(1 / l.RatePerSecond)))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool { return unmetered[c.Path()] },
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(l.RatePerSecond), Burst: l.RateBurst, ExpiresIn: 3 * time.Minute,
		}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retryAfter)
			return problem.TooManyRequests(fmt.Sprintf("more than %d requests at once or %g a second from this client", l.RateBurst, l.RatePerSecond))
		},
		ErrorHandler: func(echo.Context, error) error { return problem.Internal() },
	})
}

// FormParams parses a form body like echo's FormParams, with the body
// limit's problem (413) instead of a parse error.
func FormParams(c echo.Context) (url.Values, error) {
	form, err := c.FormParams()
	if err != nil {
		if p := tooLarge(c, err); p != nil {
			return nil, p
		}
		return nil, problem.Invalid("the body must be a form", problem.FieldError{Pointer: "#", Detail: "not a URL-encoded or multipart form"})
	}
	return form, nil
}

func tooLarge(c echo.Context, err error) *problem.Details {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyTooLarge(limitsOf(c).MaxBodyBytes)
	}
	return nil
}

// checkDepth refuses JSON nested deeper than max before it is decoded:
// encoding/json recurses per level, so depth costs stack and time before
// any struct field could refuse it. It counts brackets outside strings and
// leaves syntax errors to the decoder.
func checkDepth(data []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for i, b := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '{' || b == '[':
			depth++
			if depth > max {
				return problem.Invalid(fmt.Sprintf("the JSON body is nested deeper than %d levels (at byte %d)", max, i))
			}
		case b == '}' || b == ']':
			depth--
		}
	}
	return nil
}
