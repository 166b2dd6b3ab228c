// Package mediation holds the mediation room's rules: which tier a referred
// dispute starts at, and how a mediation ends. Plain Go, no I/O. Issue 6
// deepens it (rosters, matching, joint sessions, escalation, agreements).
package mediation

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// Status of a mediation.
type Status string

// Statuses.
const (
	StatusOpen     Status = "open"
	StatusResolved Status = "resolved"
	StatusFailed   Status = "failed"
)

// Mediation is one mediation of one round of a dispute.
type Mediation struct {
	ID           string            `bson:"id" json:"id"`
	DisputeID    string            `bson:"dispute_id" json:"dispute_id"`
	CountyCode   string            `bson:"county_code" json:"county_code"`
	CaseCode     string            `bson:"case_code" json:"case_code"`
	Round        int               `bson:"round" json:"round"`
	Tier         int               `bson:"tier" json:"tier"`
	Category     events.Category   `bson:"category" json:"category"`
	RiskLevel    events.RiskLevel  `bson:"risk_level" json:"risk_level"`
	Jurisdiction events.Agency     `bson:"jurisdiction" json:"jurisdiction"` // who handed it over and owns the revisit
	Room         events.Agency     `bson:"room" json:"room"`
	Status       Status            `bson:"status" json:"status"`
	OpenedAt     time.Time         `bson:"opened_at" json:"opened_at"`
	ClosedAt     *time.Time        `bson:"closed_at,omitempty" json:"closed_at,omitempty"`
	Agreement    *events.Agreement `bson:"agreement,omitempty" json:"agreement,omitempty"`
	FailReason   string            `bson:"fail_reason,omitempty" json:"fail_reason,omitempty"`
	ClosedBy     string            `bson:"closed_by,omitempty" json:"closed_by,omitempty"`
}

// MediationID names the first mediation of a round.
func MediationID(disputeID string, round int) string {
	return fmt.Sprintf("%s.r%d.m1", disputeID, round)
}

// Referral is what a mediation is opened from.
type Referral struct {
	DisputeID, CountyCode, CaseCode string
	Round                           int
	Category                        events.Category
	RiskLevel                       events.RiskLevel
	Place                           events.Place
	Jurisdiction                    events.Agency
}

// StartTier is the tier a dispute starts at (Pingdu's three tiers, seed 004):
// tier 3 village peacemakers for low risk, tier 2 the station's
// administrative mediation committee for medium, tier 1 the street people's
// mediation centre for cases likely to turn criminal.
func StartTier(r events.RiskLevel) int {
	switch r {
	case events.RiskHigh:
		return 1
	case events.RiskMedium:
		return 2
	}
	return 3
}

// Open opens the mediation of a referral in the room of its place.
func Open(r Referral, now time.Time) Mediation {
	unit := r.Place.TownshipCode
	if unit == "" {
		unit = r.CountyCode
	}
	return Mediation{
		ID: MediationID(r.DisputeID, r.Round), DisputeID: r.DisputeID, CountyCode: r.CountyCode,
		CaseCode: r.CaseCode, Round: r.Round, Tier: StartTier(r.RiskLevel), Category: r.Category,
		RiskLevel: r.RiskLevel, Jurisdiction: r.Jurisdiction, Status: StatusOpen, OpenedAt: now.UTC(),
		Room: events.Agency{Kind: events.AgencyMediationRoom, ID: "room-" + unit},
	}
}

// Opened is the handoff from the jurisdiction to the room.
func (m Mediation) Opened() events.MediationOpened {
	return events.MediationOpened{
		Subject: m.subject(), Handoff: events.Handoff{From: m.Jurisdiction, To: m.Room},
		MediationID: m.ID, Round: m.Round, Tier: m.Tier, Category: m.Category, RiskLevel: m.RiskLevel, OpenedAt: m.OpenedAt,
	}
}

func (m Mediation) subject() events.Subject {
	return events.Subject{DisputeID: m.DisputeID, CountyCode: m.CountyCode}
}

// Outcome is what a mediator records at the end of a mediation.
type Outcome struct {
	Result    Status            `json:"result"` // resolved or failed
	Agreement *events.Agreement `json:"agreement,omitempty"`
	Reason    string            `json:"reason,omitempty"`
}

// Errors of Close.
var (
	ErrClosed = errors.New("the mediation is already closed")
)

// FieldError names the outcome field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

// Validate checks an outcome: a resolution needs an agreement with a summary
// and at least one term; a failure needs its reason.
func (o Outcome) Validate() error {
	switch o.Result {
	case StatusResolved:
		if o.Agreement == nil || strings.TrimSpace(o.Agreement.Summary) == "" {
			return FieldError{"#/agreement/summary", "a resolution needs the agreement's summary"}
		}
		if len(o.Agreement.Terms) == 0 {
			return FieldError{"#/agreement/terms", "a resolution needs at least one agreed term"}
		}
	case StatusFailed:
		if strings.TrimSpace(o.Reason) == "" {
			return FieldError{"#/reason", "a failed mediation needs its reason"}
		}
	default:
		return FieldError{"#/result", "must be resolved or failed"}
	}
	return nil
}

// Close ends the mediation with an outcome and returns its event: resolved
// goes back to the jurisdiction to revisit; failed goes back with the reason.
func (m *Mediation) Close(o Outcome, by string, now time.Time) (events.Payload, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if m.Status != StatusOpen {
		return nil, ErrClosed
	}
	at := now.UTC()
	m.Status, m.ClosedAt, m.ClosedBy = o.Result, &at, by
	back := events.Handoff{From: m.Room, To: m.Jurisdiction}
	if o.Result == StatusFailed {
		m.FailReason = strings.TrimSpace(o.Reason)
		return events.MediationFailed{Subject: m.subject(), Handoff: back, MediationID: m.ID, Round: m.Round, Reason: m.FailReason, FailedAt: at}, nil
	}
	m.Agreement = o.Agreement
	return events.MediationResolved{
		Subject: m.subject(), Handoff: back, MediationID: m.ID, Round: m.Round,
		Category: m.Category, RiskLevel: m.RiskLevel, Agreement: *o.Agreement, ResolvedAt: at,
	}, nil
}
