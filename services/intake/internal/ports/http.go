// Package ports adapts intake's use cases to HTTP and Kafka.
package ports

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/pkg/queueindex"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// HTTP serves intake's API: each route by the method named as its
// operationId (bootstrap.Service.Serve).
type HTTP struct {
	App *app.App
	// Audit records every unmasked read and every registration of
	// personal data (pkg/audit).
	Audit Auditor
}

// riskOverride is the body of an officer's risk override.
type riskOverride struct {
	Level  events.RiskLevel `json:"level"`
	Reason string           `json:"reason"`
}

func (h HTTP) OverrideRisk(c echo.Context) error {
	var req riskOverride
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	caller := httpserver.Caller(c)
	d, err := h.App.OverrideRisk(c.Request().Context(), caller, c.Param("id"), req.Level, req.Reason)
	if err != nil {
		return toProblem(err)
	}
	v, err := viewFor(c, h.Audit, h.App.Now(), func(cl identity.Caller) disputeView { return view(d, cl) }, caller, d.CountyCode, d.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (h HTTP) RegisterDispute(c echo.Context) error {
	var body registrationBody
	if err := httpserver.DecodeJSONWith(c, &body, textLimits); err != nil {
		return err
	}
	reg := body.registration()
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > dispute.MaxIdempotency {
		return problem.Invalid("Idempotency-Key is too long", problem.FieldError{Pointer: "header:Idempotency-Key", Detail: "at most 255 characters"})
	}
	caller := httpserver.Caller(c)
	d, outcome, err := h.App.Register(c.Request().Context(), app.RegisterDispute{
		Registration: reg, Caller: caller, IdempotencyKey: key, RequestHash: fingerprint(reg),
	})
	if err != nil {
		return toProblem(err)
	}
	v := view(d, caller)
	// The caller just gave this data, or is shown a case its report joined:
	// the registration is the purpose, recorded as such.
	action := events.AuditRead
	if outcome == app.Created {
		action = events.AuditCreate
	}
	if err := record(c, h.Audit, h.App.Now(), caller, d.CountyCode, d.ID, action, audit.PurposeRegistration, unmasked(v)); err != nil {
		// A new dispute is stored by now: refusing the answer would tell
		// the officer it was not, and the data shown is what they just
		// sent. A repeat report shows another report's data: that is a read.
		if outcome != app.Created {
			return err
		}
		slog.ErrorContext(c.Request().Context(), "cannot record a registration in the audit trail", "dispute", d.ID, "err", err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/disputes/"+d.ID)
	switch outcome {
	case app.Replayed:
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.JSON(http.StatusOK, v)
	case app.Linked:
		// A repeat report: the existing dispute, with this report linked to it.
		c.Response().Header().Set("Fengqiao-Report-Linked", "true")
		return c.JSON(http.StatusOK, v)
	}
	return c.JSON(http.StatusCreated, v)
}

func (h HTTP) GetDispute(c echo.Context) error {
	caller := httpserver.Caller(c)
	d, err := h.App.Dispute(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	if err := h.mayAddress(c, caller, d); err != nil {
		return err
	}
	v, err := viewFor(c, h.Audit, h.App.Now(), func(cl identity.Caller) disputeView { return view(d, cl) }, caller, d.CountyCode, d.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// ListDisputes is the county's disputes, newest first, as work queues
// filter them: a station's, in a state, of a category, in a township. Each
// item is the dispute as GET /v1/disputes/:id shows it without a stated
// purpose: a list never unmasks personal data.
func (h HTTP) ListDisputes(c echo.Context) error {
	page, err := httpserver.PageParams(c, queueindex.CheckKey)
	if err != nil {
		return err
	}
	state, err := httpserver.OneOfParam(c, "state", string(dispute.StatusRegistered), string(dispute.StatusReopened), string(dispute.StatusClosed))
	if err != nil {
		return err
	}
	category := c.QueryParam("category")
	if category != "" && !events.Category(category).Valid() {
		return problem.Invalid("the list cannot be read as asked", problem.FieldError{Pointer: "query:category", Detail: "not a category of the platform"})
	}
	caller := httpserver.Caller(c)
	found, next, err := h.App.DisputePage(c.Request().Context(), caller.County, app.DisputeFilter{
		Station: c.QueryParam("station"), State: state, Category: category, Township: c.QueryParam("township"),
	}, page.After, page.Limit)
	if err != nil {
		return err
	}
	items := make([]disputeView, len(found))
	for i, d := range found {
		items[i] = view(d, masked(caller))
	}
	return c.JSON(http.StatusOK, httpserver.PageOf(items, page.After, next))
}

// fingerprint hashes the decoded request, re-encoded as its body, so the
// same content with other whitespace or field order is the same request.
func fingerprint(reg dispute.Registration) string {
	b, _ := json.Marshal(registrationBodyOf(reg))
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func toProblem(err error) error {
	if p := problem.Refusal(err, "no such dispute in your county"); p != nil {
		return p
	}
	var ve *dispute.ValidationError
	switch {
	case errors.As(err, &ve):
		fields := make([]problem.FieldError, len(ve.Fields))
		for i, f := range ve.Fields {
			fields[i] = problem.FieldError{Pointer: f.Pointer, Detail: f.Detail}
		}
		return problem.Invalid("the dispute cannot be registered as submitted", fields...)
	case errors.Is(err, dispute.ErrOverrideReason):
		return problem.Invalid("an override needs a reason", problem.FieldError{Pointer: "#/reason", Detail: err.Error()})
	case errors.Is(err, dispute.ErrUnknownLevel):
		return problem.Invalid("unknown risk level", problem.FieldError{Pointer: "#/level", Detail: err.Error()})
	case errors.Is(err, app.ErrIdempotencyMismatch):
		return problem.Unprocessable("this Idempotency-Key was used for a different request")
	}
	return err
}
