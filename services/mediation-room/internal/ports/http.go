// Package ports adapts the mediation room's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// HTTP serves the mediation API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.GET("/mediations/:id", h.getMediation)
	g.GET("/disputes/:id/mediations", h.mediationsOfDispute)
	g.POST("/mediations/:id/outcome", h.recordOutcome)
}

func (h HTTP) getMediation(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	m, err := h.App.Mediation(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, m)
}

func (h HTTP) mediationsOfDispute(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	ms, err := h.App.MediationsOf(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"mediations": ms})
}

func (h HTTP) recordOutcome(c echo.Context) error {
	var o mediation.Outcome
	if err := httpserver.DecodeJSON(c, &o); err != nil {
		return err
	}
	caller, _ := identity.FromContext(c.Request().Context())
	m, err := h.App.RecordOutcome(c.Request().Context(), caller, c.Param("id"), o)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, m)
}

func toProblem(err error) error {
	var fe mediation.FieldError
	switch {
	case errors.As(err, &fe):
		return problem.Invalid("the outcome cannot be recorded as submitted", problem.FieldError{Pointer: fe.Pointer, Detail: fe.Detail})
	case errors.Is(err, docstore.ErrNotFound):
		return problem.NotFound("no such mediation in your county")
	case errors.Is(err, app.ErrForbidden):
		return problem.Forbidden(err.Error())
	case errors.Is(err, mediation.ErrClosed):
		return problem.Conflict(err.Error())
	}
	return err
}
