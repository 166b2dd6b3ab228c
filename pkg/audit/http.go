package audit

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
)

// Routes serves a service's audit trail to the political-legal committee and
// the inspectors (supervisor role) of the county whose cases it is about:
//
//	GET /audit/records?case=<dispute ID>                 who looked at a case
//	GET /audit/records?officer=<staff ID>&month=YYYY-MM  what an officer opened in a month
//	GET /audit/records?officer=...&from=...&to=...       any range, RFC 3339, to exclusive
//	GET /audit/verify                                    the county's chain, checked end to end
//
// each by the method named as its operationId (bootstrap.Service.Serve).
type Routes struct{ Store *Store }

// mayAudit are the roles that read the trail: it names who looked at what,
// which the staff being watched have no business reading.
func mayAudit(c identity.Caller) bool {
	return c.Can(identity.RoleCommittee, identity.RoleSupervisor)
}

func (rt Routes) ListAuditRecords(c echo.Context) error {
	caller := httpserver.Caller(c)
	if !mayAudit(caller) {
		return problem.Forbidden("only the political-legal committee and inspectors read the audit trail")
	}
	q, err := queryOf(c, caller.County)
	if err != nil {
		return err
	}
	records, err := rt.Store.Find(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"records": records})
}

func (rt Routes) VerifyAuditTrail(c echo.Context) error {
	caller := httpserver.Caller(c)
	if !mayAudit(caller) {
		return problem.Forbidden("only the political-legal committee and inspectors read the audit trail")
	}
	chains, err := rt.Store.Verify(c.Request().Context(), caller.County)
	if err != nil {
		return err
	}
	intact, records := true, int64(0)
	for _, ch := range chains {
		intact = intact && ch.Broken == ""
		records += ch.Seq
	}
	return c.JSON(http.StatusOK, map[string]any{"intact": intact, "records": records, "chains": chains})
}

// queryOf reads the filters; the county is always the caller's own.
func queryOf(c echo.Context, county string) (Query, error) {
	q := Query{County: county, CaseID: c.QueryParam("case"), Officer: c.QueryParam("officer")}
	if q.CaseID == "" && q.Officer == "" {
		return Query{}, problem.Invalid("say whose records to list",
			problem.FieldError{Pointer: "query:case", Detail: "a dispute ID, or officer with a month or range"})
	}
	if m := c.QueryParam("month"); m != "" {
		start, err := time.Parse("2006-01", m)
		if err != nil {
			return Query{}, problem.Invalid("bad month", problem.FieldError{Pointer: "query:month", Detail: "must be a month, YYYY-MM"})
		}
		q.From, q.To = start, start.AddDate(0, 1, 0)
	}
	for _, p := range []struct {
		name string
		into *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		v := c.QueryParam(p.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return Query{}, problem.Invalid("bad time", problem.FieldError{Pointer: "query:" + p.name, Detail: "must be an RFC 3339 time"})
		}
		*p.into = t
	}
	return q, nil
}

// RecordRequest appends the record of the request c's caller acting on
// fields of a case (county, caseID) for purpose, at at, from the request's
// client address. Nothing is recorded when fields is empty: no personal
// data was shown or changed.
func (s *Store) RecordRequest(c echo.Context, caller identity.Caller, county, caseID string, action events.AuditAction, purpose Purpose, fields []string, at time.Time) error {
	if len(fields) == 0 {
		return nil
	}
	_, err := s.Append(c.Request().Context(), Entry{
		County: county, CaseID: caseID,
		Actor:  events.AuditActor{County: caller.County, Agency: caller.Agency, Role: string(caller.Role), Officer: caller.Officer},
		Action: action, Fields: fields, Client: c.RealIP(), Purpose: string(purpose), At: at,
	})
	return err
}
