// Package ports adapts intake's use cases to HTTP and Kafka.
package ports

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/app"
	"fengqiao.dev/services/intake/internal/dispute"
)

// HTTP serves intake's API.
type HTTP struct{ App *app.App }

// Register mounts the routes on the authenticated /v1 group.
func (h HTTP) Register(g *echo.Group) {
	g.POST("/disputes", h.registerDispute)
	g.GET("/disputes/:id", h.getDispute)
}

const maxIdempotencyKey = 255

func (h HTTP) registerDispute(c echo.Context) error {
	var reg dispute.Registration
	if err := httpserver.DecodeJSON(c, &reg); err != nil {
		return err
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return problem.Invalid("Idempotency-Key is too long", problem.FieldError{Pointer: "header:Idempotency-Key", Detail: "at most 255 characters"})
	}
	caller, _ := identity.FromContext(c.Request().Context())
	d, created, err := h.App.Register(c.Request().Context(), app.RegisterDispute{
		Registration: reg, Caller: caller, IdempotencyKey: key, RequestHash: fingerprint(reg),
	})
	if err != nil {
		return toProblem(err)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/disputes/"+d.ID)
	if !created {
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return c.JSON(http.StatusOK, view(d, caller))
	}
	return c.JSON(http.StatusCreated, view(d, caller))
}

func (h HTTP) getDispute(c echo.Context) error {
	caller, _ := identity.FromContext(c.Request().Context())
	d, err := h.App.Dispute(c.Request().Context(), caller.County, c.Param("id"))
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, view(d, caller))
}

// fingerprint hashes the decoded request, so the same content with other
// whitespace or field order is the same request.
func fingerprint(reg dispute.Registration) string {
	b, _ := json.Marshal(reg)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func toProblem(err error) error {
	var ve *dispute.ValidationError
	switch {
	case errors.As(err, &ve):
		fields := make([]problem.FieldError, len(ve.Fields))
		for i, f := range ve.Fields {
			fields[i] = problem.FieldError{Pointer: f.Pointer, Detail: f.Detail}
		}
		return problem.Invalid("the dispute cannot be registered as submitted", fields...)
	case errors.Is(err, app.ErrForbidden):
		return problem.Forbidden(err.Error())
	case errors.Is(err, app.ErrNotFound):
		return problem.NotFound("no such dispute in your county")
	case errors.Is(err, app.ErrIdempotencyMismatch):
		return problem.Unprocessable("this Idempotency-Key was used for a different request")
	}
	return err
}

// disputeView is the API representation of a dispute. Personal data is
// masked unless the caller's role needs it (the police officers handling it).
type disputeView struct {
	ID           string           `json:"id"`
	CaseCode     string           `json:"case_code"`
	CountyCode   string           `json:"county_code"`
	Round        int              `json:"round"`
	Status       dispute.Status   `json:"status"`
	Channel      events.Channel   `json:"channel"`
	ExternalRef  string           `json:"external_ref,omitempty"`
	Place        events.Place     `json:"place"`
	Address      string           `json:"address,omitempty"`
	Category     events.Category  `json:"category"`
	RiskLevel    events.RiskLevel `json:"risk_level"`
	RiskReasons  []string         `json:"risk_reasons"`
	Parties      []dispute.Party  `json:"parties"`
	GroupSize    int              `json:"group_size"`
	Summary      string           `json:"summary"`
	Narrative    string           `json:"narrative"`
	RecordedBy   events.Agency    `json:"recorded_by"`
	RegisteredAt time.Time        `json:"registered_at"`
	Reopenings   []reopeningView  `json:"reopenings"`
}

type reopeningView struct {
	Round    int       `json:"round"`
	Reason   string    `json:"reason"`
	CausedBy string    `json:"caused_by"`
	At       time.Time `json:"at"`
}

func view(d dispute.Dispute, caller identity.Caller) disputeView {
	seesPersonalData := caller.Can(identity.RoleOfficer)
	parties := make([]dispute.Party, len(d.Parties))
	for i, p := range d.Parties {
		if !seesPersonalData {
			p = dispute.Party{Role: p.Role, Name: dispute.MaskName(p.Name), IDNumber: maskIf(p.IDNumber, dispute.MaskID), Phone: maskIf(p.Phone, dispute.MaskPhone)}
		}
		parties[i] = p
	}
	v := disputeView{
		ID: d.ID, CaseCode: d.CaseCode, CountyCode: d.CountyCode, Round: d.Round, Status: d.Status,
		Channel: d.Channel, ExternalRef: d.ExternalRef, Place: d.Place, Category: d.Category,
		RiskLevel: d.RiskLevel, RiskReasons: d.RiskReasons, Parties: parties, GroupSize: d.GroupSize,
		Summary: d.Summary, Narrative: d.Narrative, RecordedBy: d.RecordedBy, RegisteredAt: d.RegisteredAt,
		Reopenings: []reopeningView{},
	}
	if seesPersonalData {
		v.Address = d.Address
	}
	for _, r := range d.Reopenings {
		v.Reopenings = append(v.Reopenings, reopeningView(r))
	}
	return v
}

func maskIf(s string, mask func(string) string) string {
	if s == "" {
		return ""
	}
	return mask(s)
}
