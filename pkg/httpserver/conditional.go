package httpserver

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/problem"
)

// conditional honours If-Match on every request that changes a record
// addressed by :id: the tag it names goes into the request's context for
// the repository's write (pkg/precondition), and a write that finds the
// record in another state is a 412, so the client knows its own view is
// stale. A request without If-Match writes as before.
func conditional() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			header := c.Request().Header.Get("If-Match")
			id := c.Param("id")
			if header == "" || id == "" || isSafe(c.Request().Method) {
				return next(c)
			}
			tag, err := precondition.ParseIfMatch(header)
			if err != nil {
				return problem.Invalid("the request's precondition cannot be read",
					problem.FieldError{Pointer: "header:If-Match", Detail: err.Error()})
			}
			if tag == "" {
				return next(c)
			}
			c.SetRequest(c.Request().WithContext(precondition.With(c.Request().Context(), id, tag)))
			return next(c) // a stale record's ErrStale is a 412 (toProblem)
		}
	}
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// ETag answers a successful read of the record the route's :id names with
// the ETag tag returns for it. The tag is read before the handler reads
// the record, so a write between the two makes the tag older than the
// body, never newer: a client conditioning on it is then refused (412)
// rather than allowed over a change it did not see.
func ETag(tag func(ctx context.Context, id string) (string, error)) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			t, err := tag(c.Request().Context(), c.Param("id"))
			if err == nil && t != "" {
				res := c.Response()
				res.Before(func() {
					if res.Status >= 200 && res.Status < 300 {
						res.Header().Set("ETag", t)
					}
				})
			}
			return next(c)
		}
	}
}
