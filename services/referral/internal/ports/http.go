// Package ports adapts the referral service's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/access"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/referral"
)

// HTTP serves the referral API: each route by the method named as its
// operationId (bootstrap.Service.Serve).
type HTTP struct{ App *app.App }

func (h HTTP) GetSlip(c echo.Context) error {
	caller := httpserver.Caller(c)
	s, err := h.App.Slip(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	v, visible := visibleTo(caller, s)
	if !visible {
		return toProblem(problem.ErrNotFound)
	}
	return c.JSON(http.StatusOK, v)
}

// visibleTo is the view of the slip the caller may read: a role whose
// grant holds only for its own agency's copy (an agency's system,
// pkg/access) sees only the copies addressed to its unit, and a slip with
// none of them is, to it, as missing as one that does not exist.
func visibleTo(caller identity.Caller, s referral.Slip) (slipView, bool) {
	v := view(s)
	if !access.Requires("referral", http.MethodGet, "/v1/slips/:id", caller.Role, access.OwnAgency) {
		return v, true
	}
	var own []copyView
	for _, c := range v.Copies {
		if c.Recipient.ID == caller.Agency {
			own = append(own, c)
		}
	}
	v.Copies = own
	return v, len(own) > 0
}

func (h HTTP) ListSlipsOfDispute(c echo.Context) error {
	caller := httpserver.Caller(c)
	slips, err := h.App.SlipsOf(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return err
	}
	if len(slips) == 0 {
		// Another county's dispute answers as every other read does: it
		// is not there for this caller.
		return toProblem(problem.ErrNotFound)
	}
	out := make([]slipView, 0, len(slips))
	for _, s := range slips {
		if v, visible := visibleTo(caller, s); visible {
			out = append(out, v)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"slips": out})
}

func (h HTTP) AcceptCopy(c echo.Context) error {
	caller := httpserver.Caller(c)
	s, err := h.App.AcceptCopy(c.Request().Context(), caller, c.Param("id"), events.Copy(c.Param("copy")))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(s))
}

// returnRequest is the body of a return (退单).
type returnRequest struct {
	Reason string `json:"reason"`
}

func (h HTTP) ReturnCopy(c echo.Context) error {
	caller := httpserver.Caller(c)
	var req returnRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	s, err := h.App.ReturnCopy(c.Request().Context(), caller, c.Param("id"), events.Copy(c.Param("copy")), req.Reason)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(s))
}

// copyItem is one item of a copy queue: the slip as GET /v1/slips/:id
// shows it to the caller, and which copy of it is queued, for which unit.
type copyItem struct {
	slipView
	Queued queuedView `json:"queued"`
}

type queuedView struct {
	Copy  string `json:"copy"`
	Unit  string `json:"unit"`
	State string `json:"state"`
	// At is when the copy is due, or for a returned one when the unit
	// returned it: what the queue is ordered by.
	At time.Time `json:"at"`
}

// ListCopies is a unit's inbox and the county's copy queues: copies
// awaiting a unit's signature, signed or returned by it, overdue, due in a
// window, the soonest due first. An agency's system reads only its own
// unit's queue, as it reads only its own copy of a slip.
func (h HTTP) ListCopies(c echo.Context) error {
	page, err := httpserver.PageParams(c, queueindex.CheckKey)
	if err != nil {
		return err
	}
	f, err := copyFilter(c)
	if err != nil {
		return err
	}
	caller := httpserver.Caller(c)
	if access.Requires("referral", http.MethodGet, "/v1/copies", caller.Role, access.OwnAgency) {
		if f.Unit != "" && f.Unit != caller.Agency {
			return problem.Forbidden("an agency's system reads its own unit's copies only")
		}
		f.Unit = caller.Agency
	}
	queued, next, err := h.App.CopyPage(c.Request().Context(), caller.County, f, page.After, page.Limit)
	if err != nil {
		return err
	}
	items := make([]copyItem, 0, len(queued))
	for _, q := range queued {
		v, visible := visibleTo(caller, q.Slip)
		if !visible {
			continue
		}
		items = append(items, copyItem{slipView: v, Queued: queuedView{Copy: q.Copy(), Unit: q.Unit(), State: q.State(), At: q.At}})
	}
	return c.JSON(http.StatusOK, httpserver.PageOf(items, page.After, next))
}

func copyFilter(c echo.Context) (app.CopyFilter, error) {
	state, err := httpserver.OneOfParam(c, "state", app.CopyAwaiting, app.CopySigned, app.CopyReturned)
	if err != nil {
		return app.CopyFilter{}, err
	}
	overdue, err := httpserver.OneOfParam(c, "overdue", "true", "false")
	if err != nil {
		return app.CopyFilter{}, err
	}
	f := app.CopyFilter{Unit: c.QueryParam("unit"), State: state, Overdue: overdue == "true"}
	if f.DueBefore, err = httpserver.TimeParam(c, "due_before"); err != nil {
		return f, err
	}
	if f.DueAfter, err = httpserver.TimeParam(c, "due_after"); err != nil {
		return f, err
	}
	return f, nil
}

func toProblem(err error) error {
	if p := problem.Refusal(err, "no such slip in your county"); p != nil {
		return p
	}
	switch {
	case errors.Is(err, referral.ErrUnknownCopy):
		return problem.Invalid("unknown copy", problem.FieldError{Pointer: "path:copy", Detail: "must be committee, jurisdiction or police"})
	case errors.Is(err, referral.ErrAlreadyAccepted), errors.Is(err, referral.ErrBackstopKeeps):
		return problem.Conflict(err.Error())
	case errors.Is(err, referral.ErrReasonRequired):
		return problem.Invalid("a return needs a reason", problem.FieldError{Pointer: "#/reason", Detail: err.Error()})
	case errors.Is(err, referral.ErrOnlyJurisdictionReturns):
		return problem.Invalid("this copy cannot be returned", problem.FieldError{Pointer: "path:copy", Detail: err.Error()})
	case errors.Is(err, referral.ErrNotRecipient):
		return problem.Forbidden(err.Error())
	case errors.Is(err, referral.ErrPauseReasonRequired):
		return problem.Invalid("a pause needs a reason", problem.FieldError{Pointer: "#/reason", Detail: err.Error()})
	case errors.Is(err, referral.ErrAlreadyPaused), errors.Is(err, referral.ErrNotPaused):
		return problem.Conflict(err.Error())
	}
	return err
}

type copyView struct {
	Copy       events.Copy   `json:"copy"`
	Recipient  events.Agency `json:"recipient"`
	Topic      string        `json:"topic"`
	AcceptBy   time.Time     `json:"accept_by"`
	AcceptedAt *time.Time    `json:"accepted_at,omitempty"`
	AcceptedBy string        `json:"accepted_by,omitempty"`
	Level      string        `json:"level"`
	Warned     []int         `json:"warned,omitempty"`
	Returns    int           `json:"returns"`
	Backstop   bool          `json:"backstop"`
	// Paused is set while the holder waits on a party.
	Paused    *pauseView `json:"paused,omitempty"`
	PausedFor string     `json:"paused_for,omitempty"` // time paused on this clock, e.g. "26h0m0s"
}

type pauseView struct {
	Reason string    `json:"reason"`
	Staff  string    `json:"staff"`
	Since  time.Time `json:"since"`
}

type slipView struct {
	ID         string           `json:"id"`
	DisputeID  string           `json:"dispute_id"`
	CaseCode   string           `json:"case_code"`
	CountyCode string           `json:"county_code"`
	Round      int              `json:"round"`
	Category   events.Category  `json:"category"`
	RiskLevel  events.RiskLevel `json:"risk_level"`
	Place      events.Place     `json:"place"`
	IssuedBy   events.Agency    `json:"issued_by"`
	IssuedAt   time.Time        `json:"issued_at"`
	Copies     []copyView       `json:"copies"`
}

func view(s referral.Slip) slipView {
	v := slipView{
		ID: s.ID, DisputeID: s.DisputeID, CaseCode: s.CaseCode, CountyCode: s.CountyCode, Round: s.Round,
		Category: s.Category, RiskLevel: s.RiskLevel, Place: s.Place, IssuedBy: s.IssuedBy, IssuedAt: s.IssuedAt,
	}
	for _, c := range s.Copies {
		v.Copies = append(v.Copies, copyView{
			Copy: c.Copy, Recipient: c.Recipient, Topic: c.Topic, AcceptBy: c.AcceptBy, AcceptedAt: c.AcceptedAt,
			AcceptedBy: c.AcceptedBy, Level: c.Level.String(), Warned: c.Warned, Returns: len(c.Returns), Backstop: c.Backstop,
		})
		if p := c.Paused; p != nil {
			v.Copies[len(v.Copies)-1].Paused = &pauseView{Reason: p.Reason, Staff: p.Staff, Since: p.Since}
		}
		if c.PausedFor > 0 {
			v.Copies[len(v.Copies)-1].PausedFor = c.PausedFor.String()
		}
	}
	return v
}
