package ports

import (
	"errors"
	"slices"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// textFields are the JSON pointers of the agreement's text and the session
// records m shows: the personal data a record of reading it names.
func textFields(m mediation.Mediation) []string {
	var out []string
	for name, f := range m.PrivateText() {
		if *f != withheldText {
			out = append(out, "/"+name)
		}
	}
	slices.Sort(out)
	return out
}

// masked is how a caller who stated no purpose sees a mediation: as a role
// that reads no text does.
func masked(c identity.Caller) identity.Caller {
	c.Role = ""
	return c
}

// purposeOf is the purpose the request states, ok false when it states
// none; a purpose off the list is a 400 naming it.
func purposeOf(c echo.Context) (audit.Purpose, bool, error) {
	p, err := audit.PurposeOf(c.Request())
	switch {
	case errors.Is(err, audit.ErrNoPurpose):
		return "", false, nil
	case err != nil:
		return "", false, problem.Invalid("personal data is unmasked only for a stated purpose",
			problem.FieldError{Pointer: "query:" + audit.PurposeParam, Detail: err.Error()})
	}
	return p, true, nil
}

// shown is m as the request may see it: its text, as far as the caller's
// role reads it, for a stated purpose (and the read recorded), withheld
// otherwise.
func (h HTTP) shown(c echo.Context, m mediation.Mediation) (mediationView, error) {
	purpose, stated, err := purposeOf(c)
	if err != nil {
		return mediationView{}, err
	}
	if !stated {
		return viewOf(forCaller(masked(httpserver.Caller(c)), m)), nil
	}
	v := forCaller(httpserver.Caller(c), m)
	return viewOf(v), h.record(c, m, events.AuditRead, purpose, textFields(v))
}

// shownAll is every one of ms as shown; none (nil) stays none.
func (h HTTP) shownAll(c echo.Context, ms []mediation.Mediation) ([]mediationView, error) {
	if ms == nil {
		return nil, nil
	}
	views := make([]mediationView, len(ms))
	for i, m := range ms {
		v, err := h.shown(c, m)
		if err != nil {
			return nil, err
		}
		views[i] = v
	}
	return views, nil
}

func (h HTTP) record(c echo.Context, m mediation.Mediation, action events.AuditAction, purpose audit.Purpose, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	if h.Audit == nil {
		return errors.New("cannot show personal data: no audit trail is configured")
	}
	return h.Audit.RecordRequest(c, httpserver.Caller(c), m.CountyCode, m.DisputeID, action, purpose, fields, h.App.Now())
}
