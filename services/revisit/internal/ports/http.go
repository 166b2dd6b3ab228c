// Package ports adapts the revisit service's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// HTTP serves the revisit API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.GET("/revisits", h.due)
	g.GET("/revisits/:id", h.getRevisit)
	g.GET("/disputes/:id/revisits", h.revisitsOfDispute)
	g.POST("/revisits/:id/result", h.recordResult)
}

func (h HTTP) due(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	due, err := h.App.Due(c.Request().Context(), caller.County)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"revisits": due})
}

func (h HTTP) getRevisit(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	r, err := h.App.Revisit(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, r)
}

func (h HTTP) revisitsOfDispute(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	rs, err := h.App.RevisitsOf(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"revisits": rs})
}

func (h HTTP) recordResult(c echo.Context) error {
	var res revisit.Result
	if err := httpserver.DecodeJSON(c, &res); err != nil {
		return err
	}
	caller, _ := identity.FromContext(c.Request().Context())
	r, err := h.App.RecordResult(c.Request().Context(), caller, c.Param("id"), res)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, r)
}

func toProblem(err error) error {
	var fe revisit.FieldError
	switch {
	case errors.As(err, &fe):
		return problem.Invalid("the revisit cannot be recorded as submitted", problem.FieldError{Pointer: fe.Pointer, Detail: fe.Detail})
	case errors.Is(err, docstore.ErrNotFound):
		return problem.NotFound("no such revisit in your county")
	case errors.Is(err, app.ErrForbidden):
		return problem.Forbidden(err.Error())
	case errors.Is(err, revisit.ErrCompleted), errors.Is(err, revisit.ErrNotSettled):
		return problem.Conflict(err.Error())
	}
	return err
}
