package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/httpserver"
)

// jurisdictionView is the caller's county as its policy names it: the
// jurisdiction tree a registration's place is checked against, its
// agencies and its mediation rooms. Forms pick places from it and pages show names instead of
// codes; it carries no record of anyone.
type jurisdictionView struct {
	County    policy.County     `json:"county"`
	Revision  int64             `json:"revision"`
	Townships []policy.Township `json:"townships"`
	Agencies  []policy.Agency   `json:"agencies"`
	Rooms     []policy.Room     `json:"rooms"`
}

// GetJurisdiction answers the caller's county's tree; a county whose policy
// has not arrived has an empty one (any place is accepted until it does).
func (h HTTP) GetJurisdiction(c echo.Context) error {
	caller := httpserver.Caller(c)
	v := jurisdictionView{County: policy.County{Code: caller.County}, Townships: []policy.Township{}, Agencies: []policy.Agency{}, Rooms: []policy.Room{}}
	if p := h.App.PolicyOf(caller.County); p != nil {
		v.County, v.Revision = p.County, p.Revision
		if p.Jurisdiction != nil {
			v.Townships = p.Jurisdiction
		}
		if p.Agencies != nil {
			v.Agencies = p.Agencies
		}
		if p.Rooms != nil {
			v.Rooms = p.Rooms
		}
	}
	return c.JSON(http.StatusOK, v)
}
