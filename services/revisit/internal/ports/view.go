package ports

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/revisit/internal/revisit"
)

// revisitView is a revisit as the API shows it (the Revisit schema of
// pkg/openapi): the wire keeps its names when the domain's change.
type revisitView struct {
	ID           string                         `json:"id"`
	DisputeID    string                         `json:"dispute_id"`
	CountyCode   string                         `json:"county_code"`
	Round        int                            `json:"round"`
	Kind         events.RevisitKind             `json:"kind,omitempty"`
	Category     events.Category                `json:"category"`
	RiskLevel    events.RiskLevel               `json:"risk_level"`
	Revisitor    events.Agency                  `json:"revisitor"` // the jurisdiction that follows up
	Officer      string                         `json:"officer,omitempty"`
	SettledBy    events.Agency                  `json:"settled_by"`
	Police       events.Agency                  `json:"police"` // the station that keeps the police copy
	Channel      events.RevisitChannel          `json:"channel"`
	Status       revisit.Status                 `json:"status"`
	SettledAt    time.Time                      `json:"settled_at"`
	ScheduledAt  time.Time                      `json:"scheduled_at"`
	DueBy        time.Time                      `json:"due_by"`
	Follows      string                         `json:"follows,omitempty"`
	Attempts     int                            `json:"attempts"`
	MaxAttempts  int                            `json:"max_attempts"`
	Escalated    events.RevisitEscalationReason `json:"escalated,omitempty"`
	EscalatedAt  *time.Time                     `json:"escalated_at,omitempty"`
	CompletedAt  *time.Time                     `json:"completed_at,omitempty"`
	Outcome      events.RevisitOutcome          `json:"outcome,omitempty"`
	Satisfaction events.Satisfaction            `json:"satisfaction,omitempty"`
	Note         string                         `json:"note,omitempty"`
	CompletedBy  string                         `json:"completed_by,omitempty"`
}

func view(r revisit.Revisit) revisitView {
	return revisitView{
		ID: r.ID, DisputeID: r.DisputeID, CountyCode: r.CountyCode, Round: r.Round, Kind: r.Kind, Category: r.Category,
		RiskLevel: r.RiskLevel, Revisitor: r.Revisitor, Officer: r.Officer, SettledBy: r.SettledBy, Police: r.Police,
		Channel: r.Channel, Status: r.Status, SettledAt: r.SettledAt, ScheduledAt: r.ScheduledAt, DueBy: r.DueBy,
		Follows: r.Follows, Attempts: r.Attempts, MaxAttempts: r.MaxAttempts, Escalated: r.Escalated,
		EscalatedAt: r.EscalatedAt, CompletedAt: r.CompletedAt, Outcome: r.Outcome, Satisfaction: r.Satisfaction,
		Note: r.Note, CompletedBy: r.CompletedBy,
	}
}

// views keeps a nil list nil, as the domain's list encoded before.
func views(rs []revisit.Revisit) []revisitView { return mapping.Slice(rs, view) }

// resultRequest is the body of POST /v1/revisits/:id/result (the
// RevisitResult schema).
type resultRequest struct {
	Outcome      string              `json:"outcome"`
	Note         string              `json:"note,omitempty"`
	Satisfaction events.Satisfaction `json:"satisfaction,omitempty"`
}

func (r resultRequest) result() revisit.Result {
	return revisit.Result{Outcome: r.Outcome, Note: r.Note, Satisfaction: r.Satisfaction}
}

// assignmentRequest is the body of POST /v1/revisits/:id/assign (the
// Assignment schema).
type assignmentRequest struct {
	Officer string `json:"officer"`
}

// loadView is what one unit or officer owes, as GET /v1/revisits/workload
// shows it.
type loadView struct {
	Key     string   `json:"key"` // the unit's agency ID, or the officer ("" unassigned)
	Due     int      `json:"due"`
	Overdue int      `json:"overdue"`
	IDs     []string `json:"overdue_ids,omitempty"`
}

// loadViews keeps a nil list nil and an empty one empty, as the domain's
// list encoded before.
func loadViews(ls []revisit.Load) []loadView {
	return mapping.Slice(ls, func(l revisit.Load) loadView {
		return loadView{Key: l.Key, Due: l.Due, Overdue: l.Overdue, IDs: l.IDs}
	})
}
