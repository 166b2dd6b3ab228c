package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/httpserver"
)

// pauseRequest is the body of a pause: why the holder waits on a party.
type pauseRequest struct {
	Reason string `json:"reason"`
}

func (h HTTP) PauseCopy(c echo.Context) error {
	var req pauseRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	caller := httpserver.Caller(c)
	s, err := h.App.PauseCopy(c.Request().Context(), caller, c.Param("id"), events.Copy(c.Param("copy")), req.Reason)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(s))
}

func (h HTTP) ResumeCopy(c echo.Context) error {
	caller := httpserver.Caller(c)
	s, err := h.App.ResumeCopy(c.Request().Context(), caller, c.Param("id"), events.Copy(c.Param("copy")))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(s))
}
