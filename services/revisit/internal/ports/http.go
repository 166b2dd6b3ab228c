// Package ports adapts the revisit service's use cases to HTTP and Kafka.
package ports

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/revisit/internal/app"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// HTTP serves the revisit API: each route by the method named as its
// operationId (bootstrap.Service.Serve).
type HTTP struct{ App *app.App }

// ListRevisits is the county's revisits, the soonest due first, by unit, assignee,
// state (scheduled unless asked otherwise: the ones owed; "all" for every
// state) and due window; each as GET /v1/revisits/:id shows it.
func (h HTTP) ListRevisits(c echo.Context) error {
	page, err := httpserver.PageParams(c, queueindex.CheckKey)
	if err != nil {
		return err
	}
	state, err := httpserver.OneOfParam(c, "state",
		string(revisit.StatusScheduled), string(revisit.StatusCompleted), string(revisit.StatusAwaiting), "all")
	switch {
	case err != nil:
		return err
	case state == "":
		state = string(revisit.StatusScheduled)
	case state == "all":
		state = ""
	}
	f := app.RevisitFilter{Unit: c.QueryParam("unit"), Assignee: c.QueryParam("assignee"), State: state}
	if f.DueBefore, err = httpserver.TimeParam(c, "due_before"); err != nil {
		return err
	}
	if f.DueAfter, err = httpserver.TimeParam(c, "due_after"); err != nil {
		return err
	}
	rs, next, err := h.App.RevisitPage(c.Request().Context(), httpserver.Caller(c).County, f, page.After, page.Limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, httpserver.PageOf(views(rs), page.After, next))
}

// GetRevisitWorkload: revisits due and overdue per unit and per officer.
func (h HTTP) GetRevisitWorkload(c echo.Context) error {
	units, officers, err := h.App.Workload(c.Request().Context(), httpserver.Caller(c).County)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"as_of": h.App.Now().UTC(), "units": loadViews(units), "officers": loadViews(officers)})
}

func (h HTTP) GetRevisit(c echo.Context) error {
	r, err := h.App.Revisit(c.Request().Context(), httpserver.Caller(c).County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(r))
}

func (h HTTP) ListRevisitsOfDispute(c echo.Context) error {
	rs, err := h.App.RevisitsOf(c.Request().Context(), httpserver.Caller(c).County, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"revisits": views(rs)})
}

type unscheduledRequest struct {
	Round int       `json:"round"`
	DueBy time.Time `json:"due_by"`
}

func (h HTTP) ScheduleRevisit(c echo.Context) error {
	var req unscheduledRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	if req.Round < 1 {
		return problem.Invalid("the revisit cannot be scheduled as submitted", problem.FieldError{Pointer: "#/round", Detail: "must be a settled round, 1 or more"})
	}
	r, err := h.App.ScheduleUnscheduled(c.Request().Context(), httpserver.Caller(c), c.Param("id"), req.Round, req.DueBy)
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusCreated, view(r))
}

func (h HTTP) RecordRevisitResult(c echo.Context) error {
	var req resultRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	r, err := h.App.RecordResult(c.Request().Context(), httpserver.Caller(c), c.Param("id"), req.result())
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(r))
}

func (h HTTP) AssignRevisit(c echo.Context) error {
	var req assignmentRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	r, err := h.App.Assign(c.Request().Context(), httpserver.Caller(c), c.Param("id"), app.Assignment{Officer: req.Officer})
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(r))
}

func toProblem(err error) error {
	if p := problem.Refusal(err, "no such revisit in your county"); p != nil {
		return p
	}
	var fe revisit.FieldError
	switch {
	case errors.As(err, &fe):
		return problem.Invalid("the revisit cannot be recorded as submitted", problem.FieldError{Pointer: fe.Pointer, Detail: fe.Detail})
	case errors.Is(err, revisit.ErrCompleted), errors.Is(err, revisit.ErrNotSettled), errors.Is(err, revisit.ErrScheduled):
		return problem.Conflict(err.Error())
	}
	return err
}
