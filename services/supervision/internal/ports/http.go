// Package ports adapts supervision's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/supervision/internal/app"
)

// HTTP serves the supervision API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.GET("/counties/:code/kpis", h.countyKPIs)
	g.GET("/disputes/:id/timeline", h.timeline)
}

var countyCode = regexp.MustCompile(`^[0-9]{6}$`)

func (h HTTP) countyKPIs(c echo.Context) error {
	code := c.Param("code")
	if !countyCode.MatchString(code) {
		return problem.Invalid("unknown county code",
			problem.FieldError{Pointer: "path:code", Detail: "must be a 6-digit GB/T 2260 county code"})
	}
	caller, _ := identity.FromContext(c.Request().Context())
	k, err := h.App.CountyKPIs(c.Request().Context(), caller, code)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, kpisOf(code, k))
}

func (h HTTP) timeline(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	cf, err := h.App.CaseFile(c.Request().Context(), caller, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, timelineOf(cf))
}

func toProblem(err error) error {
	switch {
	case errors.Is(err, app.ErrNotFound):
		return problem.NotFound("no such dispute in your county")
	case errors.Is(err, app.ErrForbidden):
		return problem.Forbidden(err.Error())
	}
	return err
}
