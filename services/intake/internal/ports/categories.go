package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
)

// ListCategories returns the caller's county's effective three-level
// category taxonomy and its version, for the registration form.
func (h HTTP) ListCategories(c echo.Context) error {
	caller := httpserver.Caller(c)
	return c.JSON(http.StatusOK, taxonomyViewOf(h.App.Taxonomy(caller.County)))
}
