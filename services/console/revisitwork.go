package console

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/fengqiaoapi"
)

// revisitQueue is the revisits owed, the soonest due first as the revisit
// service orders them: the unit's, or only those assigned to the person.
type revisitQueue struct {
	queuePage[revisit]
	Mine bool
}

// revisitAssigners may name who owes a revisit (the service checks again).
var revisitAssigners = map[string]bool{"jurisdiction": true, "officer": true}

// revisitsDue lists the revisits still owed by the user's unit, or with
// ?mine=true those assigned to the user; a mediator, whose unit revisits
// nothing, sees the county's as the service shows them.
func (s *Console) revisitsDue(c echo.Context) error {
	u := currentUser(c)
	params := &fengqiaoapi.ListRevisitsParams{State: new("scheduled"), Limit: new(queueLimit), Cursor: optional(c.QueryParam("cursor"))}
	out := revisitQueue{Mine: c.QueryParam("mine") == "true"}
	switch {
	case out.Mine:
		params.Assignee = &u.Officer
	case revisitWorkRoles[string(u.Role)] && u.Role != "mediator":
		params.Unit = &u.Agency
	}
	answer, err := typed(s.api.revisit.ListRevisitsWithResponse(c.Request().Context(), params, as(u.Token)))
	out.NextCursor, out.Total, out.Items = answer.NextCursor, deref(answer.Total), revisitsOf(answer.Items)
	if unavailable(err) {
		out.Unavailable, err = true, nil
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "revisits", page{Title: "待回访", Data: out})
}

var assignMessages = map[string]string{"#/officer": "请填写承办人员编号"}

// assignRevisit names the officer who owes the revisit; a refusal shows
// the revisit's page again with the error next to the field.
func (s *Console) assignRevisit(c echo.Context) error {
	officer := trimmed(c, "officer")
	return s.actOnRevisit(c, "/assign", map[string]string{"officer": officer}, "assign", assignMessages, "assigned", func(p *revisitPage) { p.Assignee = officer })
}
