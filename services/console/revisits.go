package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"
)

// revisit is the revisit service's GET /v1/revisits/:id, as far as its page
// shows it.
type revisit struct {
	ID           string
	DisputeID    string
	Round        int
	Kind         string
	Category     string
	RiskLevel    string
	Revisitor    agencyRef
	Officer      string
	SettledBy    agencyRef
	Channel      string
	Status       string
	SettledAt    time.Time
	DueBy        time.Time
	Attempts     int
	MaxAttempts  int
	Escalated    string
	CompletedAt  *time.Time
	Outcome      string
	Satisfaction string
	Note         string
}

// revisitPage is a revisit with its result form, as typed when refused.
type revisitPage struct {
	Revisit revisit
	CanAct  bool
	Form    revisitForm
	// CanAssign: the unit that owes the revisit names who makes it;
	// Assignee is the officer as typed when refused.
	CanAssign bool
	Assignee  string
}

type revisitForm struct{ Outcome, Satisfaction, Note string }

var revisitMessages = map[string]string{
	"#/outcome": "请选择回访结果", "#/satisfaction": "请选择满意度",
	"#/note": "反弹或部分化解的，须写明仍存在的问题（不超过 1000 字）",
}

// revisitWorkRoles may record a revisit (the revisit service checks again).
var revisitWorkRoles = map[string]bool{"jurisdiction": true, "officer": true, "mediator": true}

func (s *Console) loadRevisit(c echo.Context) (revisitPage, error) {
	u := currentUser(c)
	var p revisitPage
	r, err := typed(s.api.revisit.GetRevisitWithResponse(c.Request().Context(), c.Param("id"), as(u.Token)))
	if err != nil {
		return p, err
	}
	p.Revisit = revisitOf(r)
	p.CanAct = p.Revisit.Status == "scheduled" && revisitWorkRoles[string(u.Role)]
	p.CanAssign = p.Revisit.Status == "scheduled" && revisitAssigners[string(u.Role)]
	p.Assignee = p.Revisit.Officer
	return p, nil
}

func (s *Console) showRevisit(c echo.Context) error {
	p, err := s.loadRevisit(c)
	if err != nil {
		return err
	}
	flash := map[string]string{"recorded": "回访结果已登记。", "assigned": "已指定回访承办人。"}[c.QueryParam("msg")]
	return s.render(c, http.StatusOK, "revisit", page{Title: "回访", Data: p, Flash: flash})
}

// recordRevisit sends the result; a refusal shows the page again with
// each field's error next to it.
func (s *Console) recordRevisit(c echo.Context) error {
	f := revisitForm{Outcome: c.FormValue("outcome"), Satisfaction: c.FormValue("satisfaction"), Note: trimmed(c, "note")}
	body := map[string]string{"outcome": f.Outcome, "satisfaction": f.Satisfaction, "note": f.Note}
	return s.actOnRevisit(c, "/result", body, "revisit", revisitMessages, "recorded", func(p *revisitPage) { p.Form = f })
}

// actOnRevisit posts body to one of the revisit's routes. A refusal shows
// the revisit's page again with what was typed (keep) and each field's
// error next to it (form's fields, in messages' words); a success goes
// back to the page with done's notice.
func (s *Console) actOnRevisit(c echo.Context, path string, body any, form string, messages map[string]string, done string, keep func(*revisitPage)) error {
	u := currentUser(c)
	id := url.PathEscape(c.Param("id"))
	err := s.api.postRevisit(c.Request().Context(), u.Token, c.Param("id"), path, body)
	var ae *apiError
	if asAPIError(err, &ae) && ae.Status != http.StatusNotFound {
		p, lerr := s.loadRevisit(c)
		if lerr != nil {
			return lerr
		}
		keep(&p)
		return s.render(c, refusedStatus(ae), "revisit", page{Title: "回访", Data: p,
			Error: refusalMessage(ae), Errors: fieldErrors(ae, form, messages)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/revisits/"+id+"?msg="+done)
}
