package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/mapping"
)

type urgeRequest struct {
	Comment string `json:"comment"`
}

func (h HTTP) Urge(c echo.Context) error {
	var req urgeRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	u, err := h.App.Urge(c.Request().Context(), httpserver.Caller(c), c.Param("id"), req.Comment)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusCreated, urgeOf(u))
}

func (h HTTP) ReadUrge(c echo.Context) error {
	s, err := h.App.ReadUrge(c.Request().Context(), httpserver.Caller(c), c.Param("id"), c.Param("urge"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, supervisedOf(s))
}

func (h HTTP) GetSupervision(c echo.Context) error {
	s, err := h.App.Supervision(c.Request().Context(), httpserver.Caller(c), c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, supervisedOf(s))
}

func (h HTTP) watch(on bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := h.App.Watch(c.Request().Context(), httpserver.Caller(c), c.Param("id"), on)
		if err != nil {
			return toProblem(err)
		}
		return c.JSON(http.StatusOK, supervisedOf(s))
	}
}

func (h HTTP) GetWatchList(c echo.Context) error {
	ws, err := h.App.WatchList(c.Request().Context(), httpserver.Caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"disputes": mapping.Slice(ws, supervisedOf)})
}
