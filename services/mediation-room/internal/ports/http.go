// Package ports adapts the mediation room's use cases to HTTP and Kafka.
package ports

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/precondition"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// HTTP serves the mediation API: each route by the method named as its
// operationId (bootstrap.Service.Serve).
type HTTP struct {
	App *app.App
	// Audit records every read and write of agreements' text and session
	// records (pkg/audit).
	Audit *audit.Store
}

func (h HTTP) ListRooms(c echo.Context) error {
	return c.JSON(http.StatusOK, rosterViewOf(h.App.Roster(httpserver.Caller(c).County)))
}

// ETag is the entity-tag of mediation id as stored (pkg/precondition),
// taken of the mediation as the API shows it in full.
func (h HTTP) ETag(ctx context.Context, id string) (string, error) {
	return precondition.ETagOf(ctx, id, func(ctx context.Context, id string) (mediationView, error) {
		m, err := h.App.MediationIf(ctx, id, func(mediation.Mediation) bool { return true })
		return viewOf(m), err
	})
}

func (h HTTP) GetMediation(c echo.Context) error {
	m, err := h.addressed(c)
	if err != nil {
		return err
	}
	v, err := h.shown(c, m)
	return reply(c, v, err)
}

// listMediations is the county's mediations, or a mediator's, in a state,
// the most recently opened first; each as GET /v1/mediations/:id shows it.
// A mediator's list is their own.
func (h HTTP) ListMediations(c echo.Context) error {
	page, err := httpserver.PageParams(c, queueindex.CheckKey)
	if err != nil {
		return err
	}
	state, err := httpserver.OneOfParam(c, "state", app.Statuses...)
	if err != nil {
		return err
	}
	cl := httpserver.Caller(c)
	mediator := c.QueryParam("mediator")
	if access.Requires("mediation-room", http.MethodGet, "/v1/mediations", cl.Role, access.AssignedToMe) {
		if mediator != "" && mediator != cl.Officer {
			return problem.Forbidden("a mediator lists their own mediations")
		}
		mediator = cl.Officer
	}
	ms, next, err := h.App.MediationPage(c.Request().Context(), cl.County, mediator, state, page.After, page.Limit)
	if err != nil {
		return err
	}
	views, err := h.shownAll(c, ms)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, httpserver.PageOf(views, page.After, next))
}

func (h HTTP) ListMediationsOfDispute(c echo.Context) error {
	ms, err := h.App.MediationsOf(c.Request().Context(), httpserver.Caller(c).County, c.Param("id"))
	if err != nil {
		return err
	}
	views, err := h.shownAll(c, listed(httpserver.Caller(c), ms))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"mediations": views})
}

func (h HTTP) ListProposals(c echo.Context) error {
	if _, err := h.addressed(c); err != nil {
		return err
	}
	p, err := h.App.Proposals(c.Request().Context(), httpserver.Caller(c).County, c.Param("id"))
	return reply(c, proposalsViewOf(p), err)
}

func (h HTTP) GetAgreementText(c echo.Context) error {
	if !readsAgreement(httpserver.Caller(c)) {
		return problem.Forbidden("the agreement's text is for the mediators, the jurisdiction and the police")
	}
	purpose, stated, err := purposeOf(c)
	if err != nil {
		return err
	}
	if !stated {
		return problem.Invalid("the agreement's text is shown only for a stated purpose",
			problem.FieldError{Pointer: "query:" + audit.PurposeParam, Detail: "required: why the text is read (docs/security.md)"})
	}
	m, err := h.addressed(c)
	if err != nil {
		return err
	}
	text, err := h.App.AgreementText(c.Request().Context(), httpserver.Caller(c).County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	if err := h.record(c, m, events.AuditRead, purpose, []string{"/agreement"}); err != nil {
		return err
	}
	return c.String(http.StatusOK, text)
}

// post decodes a JSON body into a fresh T and runs do with it. written,
// when not nil, names the text fields the act wrote, which are recorded as
// a change (the mediator's own act is its purpose); the answer shows the
// mediation as a read does.
func post[T any](h HTTP, c echo.Context, written func(T) []string, do func(identity.Caller, string, T) (mediation.Mediation, error)) error {
	var body T
	if err := httpserver.DecodeJSONWith(c, &body, textLimits); err != nil {
		return err
	}
	// The use case loads the mediation again, by county, to change it; a
	// mediator taken off the team in between may make one last change.
	if _, err := h.addressed(c); err != nil {
		return err
	}
	m, err := do(httpserver.Caller(c), c.Param("id"), body)
	if err != nil {
		return toProblem(err)
	}
	if written != nil {
		// Stored by now: a failure to record is logged, not answered as a
		// refusal of what was accepted.
		if err := h.record(c, m, events.AuditChange, audit.PurposeMediation, written(body)); err != nil {
			slog.ErrorContext(c.Request().Context(), "cannot record a write of a mediation's text in the audit trail", "mediation", m.ID, "err", err)
		}
	}
	v, err := h.shown(c, m)
	return reply(c, v, err)
}

func (h HTTP) RecordOutcome(c echo.Context) error {
	return post(h, c, settlementWritten, func(cl identity.Caller, id string, o outcomeRequest) (mediation.Mediation, error) {
		return h.App.RecordOutcome(c.Request().Context(), cl, id, o.outcome())
	})
}

// settlementWritten names the agreement's text when an outcome carries one.
func settlementWritten(o outcomeRequest) []string {
	if o.Agreement == nil {
		return nil
	}
	return []string{"/settlement"}
}

func (h HTTP) ObjectToMediator(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, o objectionView) (mediation.Mediation, error) {
		return h.App.Object(c.Request().Context(), cl, id, o.objection())
	})
}

func (h HTTP) SetPreferences(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, p preferences) (mediation.Mediation, error) {
		return h.App.Prefer(c.Request().Context(), cl, id, p.MediatorIDs)
	})
}

func (h HTTP) SendToJointSession(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, r jointSessionRequest) (mediation.Mediation, error) {
		return h.App.ToJointSession(c.Request().Context(), cl, id, r.request())
	})
}

func (h HTTP) ScheduleSession(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, s scheduleRequest) (mediation.Mediation, error) {
		return h.App.ScheduleSession(c.Request().Context(), cl, id, s.schedule())
	})
}

func (h HTTP) RecordSession(c echo.Context) error {
	no, err := strconv.Atoi(c.Param("no"))
	if err != nil {
		return problem.Invalid("the session number is not a number", problem.FieldError{Pointer: "path:no", Detail: "must be 1, 2, …"})
	}
	return post(h, c, func(sessionRecordView) []string { return []string{fmt.Sprintf("/sessions/%d/record", no-1)} }, func(cl identity.Caller, id string, r sessionRecordView) (mediation.Mediation, error) {
		return h.App.RecordSession(c.Request().Context(), cl, id, no, r.record())
	})
}

func (h HTTP) ConveneJointMeeting(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, r conveneRequest) (mediation.Mediation, error) {
		return h.App.Convene(c.Request().Context(), cl, id, r.request())
	})
}

func (h HTTP) RequestLegalAid(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, r legalAidRequest) (mediation.Mediation, error) {
		return h.App.RequestLegalAid(c.Request().Context(), cl, id, r.request())
	})
}

func (h HTTP) RecordJointMeetingDecisions(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, d decisions) (mediation.Mediation, error) {
		return h.App.ConcludeMeeting(c.Request().Context(), cl, id, d.decisions())
	})
}

func (h HTTP) RecordPerformance(c echo.Context) error {
	return post(h, c, nil, func(cl identity.Caller, id string, p performedRequest) (mediation.Mediation, error) {
		return h.App.RecordPerformance(c.Request().Context(), cl, id, p.performed())
	})
}
