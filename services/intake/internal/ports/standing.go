package ports

import (
	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/dispute"
)

// mayAddress answers a dispute of the caller's county that the table's
// grant on the request's route does not hold for (a mediator's, when it is
// not on the dispute's mediation team) as missing, exactly as one that
// does not exist.
func (h HTTP) mayAddress(c echo.Context, caller identity.Caller, d dispute.Dispute) error {
	method, route := c.Request().Method, c.Path()
	standing := []access.Relation{access.OwnCounty}
	if access.Requires("intake", method, route, caller.Role, access.AssignedToMe) {
		seated, err := h.App.SeatedOn(c.Request().Context(), d.ID, caller.Agency, caller.Officer)
		if err != nil {
			return err
		}
		if seated {
			standing = append(standing, access.AssignedToMe)
		}
	}
	if !access.Holds("intake", method, route, caller.Role, standing...) {
		return toProblem(problem.ErrNotFound)
	}
	return nil
}
