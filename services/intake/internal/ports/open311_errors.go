package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
)

// error311 is one error as GeoReport v2 reports it: the HTTP status as
// code, and what went wrong.
type error311 struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// renderError311 writes a refusal as GeoReport's array of errors: one per
// field at fault, its description led by the field's name (form:lat,
// query:status) so a client can point at it, or one for the whole
// request. The status is the refusal's, as elsewhere.
func renderError311(c echo.Context, p *problem.Details) error {
	return c.JSON(p.Status, errors311Of(p))
}

func errors311Of(p *problem.Details) []error311 {
	if len(p.Errors) == 0 {
		description := p.Title
		if p.Detail != "" {
			description = p.Detail
		}
		if description == "" {
			description = http.StatusText(p.Status)
		}
		return []error311{{Code: p.Status, Description: description}}
	}
	out := make([]error311, len(p.Errors))
	for i, f := range p.Errors {
		out[i] = error311{Code: p.Status, Description: f.Pointer + ": " + f.Detail}
	}
	return out
}
