package ports

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// service is the mediation room's name in pkg/access's table.
const service = "mediation-room"

// standing is how the caller stands to a mediation, in the relations of
// pkg/access's table.
func standing(c identity.Caller, m mediation.Mediation) []access.Relation {
	if m.CountyCode != c.County {
		return []access.Relation{access.OtherCounty}
	}
	rels := []access.Relation{access.OwnCounty}
	if c.Role == identity.RoleMediator && m.OnTeam(c.Agency, c.Officer) {
		rels = append(rels, access.AssignedToMe)
	}
	return rels
}

// addressable says which mediations the caller may address on a route:
// those for which the table's grant holds (of its county; for a mediator,
// only those whose team it is on).
func addressable(c identity.Caller, method, route string) func(mediation.Mediation) bool {
	return func(m mediation.Mediation) bool {
		return access.Holds(service, method, route, c.Role, standing(c, m)...)
	}
}

// addressed loads the mediation the request names, if the caller may
// address it on the request's route; any other is a 404, exactly as one
// that does not exist, so the answer never confirms that it does.
func (h HTTP) addressed(c echo.Context) (mediation.Mediation, error) {
	visible := addressable(httpserver.Caller(c), c.Request().Method, c.Path())
	m, err := h.App.MediationIf(c.Request().Context(), c.Param("id"), visible)
	if err != nil {
		return m, toProblem(err)
	}
	return m, nil
}

// listed keeps of a dispute's mediations those the caller may read one by
// one.
func listed(c identity.Caller, ms []mediation.Mediation) []mediation.Mediation {
	visible := addressable(c, http.MethodGet, "/v1/mediations/:id")
	out := ms[:0]
	for _, m := range ms {
		if visible(m) {
			out = append(out, m)
		}
	}
	return out
}
