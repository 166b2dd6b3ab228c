package ports

// The bodies the API takes, separate from the domain's inputs for the
// reason mediation_view.go gives; testdata/<body>.json records each.

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

// outcomeRequest is the body of POST …/outcome.
type outcomeRequest struct {
	Result               mediation.Status   `json:"result"`
	Agreement            *agreementView     `json:"agreement,omitempty"`
	JudicialConfirmation bool               `json:"judicial_confirmation,omitempty"`
	Reason               string             `json:"reason,omitempty"`
	Fight                bool               `json:"fight,omitempty"`
	RefusedBy            []events.PartyRole `json:"refused_by,omitempty"`
}

func (o outcomeRequest) outcome() mediation.Outcome {
	return mediation.Outcome{Result: o.Result, Agreement: mapping.Ptr(o.Agreement, agreementView.agreement),
		JudicialConfirmation: o.JudicialConfirmation, Reason: o.Reason, Fight: o.Fight, RefusedBy: o.RefusedBy}
}

// jointSessionRequest is the body of POST …/joint-session.
type jointSessionRequest struct {
	Reason string `json:"reason"`
}

func (r jointSessionRequest) request() mediation.JointSessionRequest {
	return mediation.JointSessionRequest{Reason: r.Reason}
}

// scheduleRequest is the body of POST …/sessions.
type scheduleRequest struct {
	StartsAt     time.Time `json:"starts_at"`
	Participants []string  `json:"participants,omitempty"`
}

func (s scheduleRequest) schedule() mediation.Schedule {
	return mediation.Schedule{StartsAt: s.StartsAt, Participants: s.Participants}
}

// conveneRequest is the body of POST …/joint-meeting.
type conveneRequest struct {
	Reason      string   `json:"reason"`
	Departments []string `json:"departments,omitempty"`
}

func (r conveneRequest) request() mediation.ConveneRequest {
	return mediation.ConveneRequest{Reason: r.Reason, Departments: r.Departments}
}

// legalAidRequest is the body of POST …/legal-aid.
type legalAidRequest struct {
	Reason string `json:"reason"`
}

func (r legalAidRequest) request() mediation.LegalAidRequest {
	return mediation.LegalAidRequest{Reason: r.Reason}
}

// decisions is the body of POST …/joint-meeting/decisions.
type decisions struct {
	Decisions []decisionView `json:"decisions"`
}

func (d decisions) decisions() []mediation.Decision {
	return mapping.Slice(d.Decisions, decisionView.decision)
}

// performedRequest is the body of POST …/performance.
type performedRequest struct {
	Term      int    `json:"term"`
	Performed *bool  `json:"performed"`
	Note      string `json:"note,omitempty"`
}

func (p performedRequest) performed() mediation.Performed {
	return mediation.Performed{Term: p.Term, Performed: p.Performed, Note: p.Note}
}

// preferences is the body of POST …/preferences.
type preferences struct {
	MediatorIDs []string `json:"mediator_ids"`
}
