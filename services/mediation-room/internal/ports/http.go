// Package ports adapts the mediation room's use cases to HTTP and Kafka.
package ports

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/mediation-room/internal/app"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// HTTP serves the mediation API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.GET("/rooms", h.roster)
	g.GET("/mediations/:id", h.getMediation)
	g.GET("/disputes/:id/mediations", h.mediationsOfDispute)
	g.GET("/mediations/:id/proposals", h.proposals)
	g.GET("/mediations/:id/agreement", h.agreementText)
	g.POST("/mediations/:id/outcome", h.recordOutcome)
	g.POST("/mediations/:id/objections", h.object)
	g.POST("/mediations/:id/preferences", h.prefer)
	g.POST("/mediations/:id/joint-session", h.toJointSession)
	g.POST("/mediations/:id/sessions", h.scheduleSession)
	g.POST("/mediations/:id/sessions/:no/record", h.recordSession)
	g.POST("/mediations/:id/joint-meeting", h.convene)
	g.POST("/mediations/:id/legal-aid", h.requestLegalAid)
	g.POST("/mediations/:id/joint-meeting/decisions", h.concludeMeeting)
	g.POST("/mediations/:id/performance", h.recordPerformance)
}

func caller(c echo.Context) identity.Caller {
	cl, _ := identity.FromContext(c.Request().Context())
	return cl
}

func (h HTTP) roster(c echo.Context) error {
	return c.JSON(http.StatusOK, h.App.Roster(caller(c).County))
}

func (h HTTP) getMediation(c echo.Context) error {
	m, err := h.App.Mediation(c.Request().Context(), caller(c).County, c.Param("id"))
	return reply(c, forCaller(caller(c), m), err)
}

func (h HTTP) mediationsOfDispute(c echo.Context) error {
	ms, err := h.App.MediationsOf(c.Request().Context(), caller(c).County, c.Param("id"))
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i] = forCaller(caller(c), ms[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"mediations": ms})
}

func (h HTTP) proposals(c echo.Context) error {
	p, err := h.App.Proposals(c.Request().Context(), caller(c).County, c.Param("id"))
	return reply(c, p, err)
}

func (h HTTP) agreementText(c echo.Context) error {
	if !readsAgreement(caller(c)) {
		return problem.Forbidden("the agreement's text is for the mediators, the jurisdiction and the police")
	}
	text, err := h.App.AgreementText(c.Request().Context(), caller(c).County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.String(http.StatusOK, text)
}

// post decodes a JSON body into a fresh T and runs do with it.
func post[T any](c echo.Context, do func(identity.Caller, string, T) (mediation.Mediation, error)) error {
	var body T
	if err := httpserver.DecodeJSONWith(c, &body, textLimits); err != nil {
		return err
	}
	m, err := do(caller(c), c.Param("id"), body)
	return reply(c, forCaller(caller(c), m), err)
}

func (h HTTP) recordOutcome(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, o mediation.Outcome) (mediation.Mediation, error) {
		return h.App.RecordOutcome(c.Request().Context(), cl, id, o)
	})
}

func (h HTTP) object(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, o mediation.Objection) (mediation.Mediation, error) {
		return h.App.Object(c.Request().Context(), cl, id, o)
	})
}

type preferences struct {
	MediatorIDs []string `json:"mediator_ids"`
}

func (h HTTP) prefer(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, p preferences) (mediation.Mediation, error) {
		return h.App.Prefer(c.Request().Context(), cl, id, p.MediatorIDs)
	})
}

func (h HTTP) toJointSession(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, r mediation.JointSessionRequest) (mediation.Mediation, error) {
		return h.App.ToJointSession(c.Request().Context(), cl, id, r)
	})
}

func (h HTTP) scheduleSession(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, s mediation.Schedule) (mediation.Mediation, error) {
		return h.App.ScheduleSession(c.Request().Context(), cl, id, s)
	})
}

func (h HTTP) recordSession(c echo.Context) error {
	no, err := strconv.Atoi(c.Param("no"))
	if err != nil {
		return problem.Invalid("the session number is not a number", problem.FieldError{Pointer: "path:no", Detail: "must be 1, 2, …"})
	}
	return post(c, func(cl identity.Caller, id string, r mediation.SessionRecord) (mediation.Mediation, error) {
		return h.App.RecordSession(c.Request().Context(), cl, id, no, r)
	})
}

func (h HTTP) convene(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, r mediation.ConveneRequest) (mediation.Mediation, error) {
		return h.App.Convene(c.Request().Context(), cl, id, r)
	})
}

func (h HTTP) requestLegalAid(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, r mediation.LegalAidRequest) (mediation.Mediation, error) {
		return h.App.RequestLegalAid(c.Request().Context(), cl, id, r)
	})
}

type decisions struct {
	Decisions []mediation.Decision `json:"decisions"`
}

func (h HTTP) concludeMeeting(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, d decisions) (mediation.Mediation, error) {
		return h.App.ConcludeMeeting(c.Request().Context(), cl, id, d.Decisions)
	})
}

func (h HTTP) recordPerformance(c echo.Context) error {
	return post(c, func(cl identity.Caller, id string, p mediation.Performed) (mediation.Mediation, error) {
		return h.App.RecordPerformance(c.Request().Context(), cl, id, p)
	})
}
