package httpserver

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// ErrorRenderer writes a refusal in a format other than problem+json: a
// facade over the API that speaks another standard (Open311's GeoReport)
// owes its clients that standard's error format, and they cannot read ours.
type ErrorRenderer func(c echo.Context, p *problem.Details) error

type prefixRenderer struct {
	prefix string
	render ErrorRenderer
}

// RenderErrorsUnder has render write every refusal of a request whose path
// starts with prefix, those of authentication and the limits included,
// which no handler of the facade sees. The refusal itself is the same as
// elsewhere: only its format differs.
func (s *Server) RenderErrorsUnder(prefix string, render ErrorRenderer) {
	s.renderers = append(s.renderers, prefixRenderer{prefix: prefix, render: render})
}

func (s *Server) rendererOf(path string) ErrorRenderer {
	for _, r := range s.renderers {
		if strings.HasPrefix(path, r.prefix) {
			return r.render
		}
	}
	return nil
}

// AcceptTokenInForm lets a POST to path carry its bearer token as the form
// field field instead of the Authorization header, for a standard that
// puts the caller's key in the form (GeoReport's api_key). The token is
// then verified exactly as a header's would be. It is taken only from a
// URL-encoded body, never from the query string (a URL ends up in access
// logs and proxies' histories), only when no Authorization header is
// sent, and is removed from the form so no handler sees it.
func (s *Server) AcceptTokenInForm(path, field string) {
	limit := s.opts.Limits.MaxBodyBytes
	s.Echo.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Method != http.MethodPost || req.URL.Path != path || req.Header.Get(echo.HeaderAuthorization) != "" ||
				!strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
				return next(c)
			}
			if req.ContentLength > limit {
				return bodyTooLarge(limit)
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			if err := req.ParseForm(); err != nil {
				if p := tooLarge(c, err); p != nil {
					return p
				}
				return problem.Invalid("the body must be a form", problem.FieldError{Pointer: "#", Detail: "not a URL-encoded form"})
			}
			if token := req.PostForm.Get(field); token != "" {
				req.Header.Set(echo.HeaderAuthorization, "Bearer "+token)
			}
			req.PostForm.Del(field)
			req.Form.Del(field)
			return next(c)
		}
	})
}
