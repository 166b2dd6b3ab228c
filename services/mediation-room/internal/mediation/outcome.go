package mediation

import (
	"cmp"
	"errors"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/services/mediation-room/internal/agreement"
)

// Outcome results beyond resolved and failed (docs/domain.md, section 4):
// referral to litigation or legal aid, and the punishment procedure for a
// fight whose parties refuse mediation.
const (
	ResultLitigation Status = "litigation"
	ResultLegalAid   Status = "legal_aid"
	ResultPunishment Status = "punishment_procedure"
)

// Outcome is what a mediator records at the end of a mediation.
type Outcome struct {
	Result    Status
	Agreement *agreement.Agreement
	// JudicialConfirmation: the parties apply to the court to confirm the
	// agreement (司法确认); the room hands the case over.
	JudicialConfirmation bool
	Reason               string
	// Fight and RefusedBy ground the punishment procedure: it was a fight,
	// and these parties refuse mediation.
	Fight     bool
	RefusedBy []events.PartyRole
}

// Validate checks an outcome on its own: a resolution needs a valid
// agreement; every other end needs its reason; the punishment procedure
// needs a fight and a party who refuses.
func (o Outcome) Validate() error {
	switch o.Result {
	case StatusResolved:
		if o.Agreement == nil {
			return FieldError{"#/agreement/summary", "a resolution needs the agreement's summary"}
		}
		var fe agreement.FieldError
		if err := o.Agreement.Validate(); errors.As(err, &fe) {
			return FieldError(fe)
		} else if err != nil {
			return err
		}
		return nil
	case StatusFailed, ResultLitigation, ResultLegalAid, ResultPunishment:
		if strings.TrimSpace(o.Reason) == "" {
			return FieldError{"#/reason", "say why"}
		}
	default:
		return FieldError{"#/result", "must be resolved, failed, litigation, legal_aid or punishment_procedure"}
	}
	if o.Result == ResultPunishment && (!o.Fight || len(o.RefusedBy) == 0) {
		return FieldError{"#/refused_by", "the punishment procedure is for a fight whose parties refuse mediation: set fight and name who refuses"}
	}
	return nil
}

// HandOff is the case leaving the room for another agency.
type HandOff struct {
	Route    string
	CountsAs string
	To       events.Agency
	Reason   string
}

// Close ends the mediation with an outcome. Resolved and failed go back to
// the first responsible unit (resolved to be revisited); litigation and
// legal aid also count as failed, and hand the case to the court or the
// judicial office; the punishment procedure hands it to the police station
// and counts as not mediated — never as a lost mediation.
func (m *Mediation) Close(o Outcome, by string, ctx Context) ([]events.Payload, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	if o.Result == ResultPunishment && m.agreedOnce() {
		return nil, FieldError{"#/result", "the parties agreed at a session: they did not refuse mediation"}
	}
	at := ctx.Now.UTC()
	m.ClosedAt, m.ClosedBy = &at, by
	back := events.Handoff{From: m.Room, To: m.FirstResponsible}
	reason := strings.TrimSpace(o.Reason)
	switch o.Result {
	case StatusResolved:
		return m.resolve(o, back, ctx)
	case ResultPunishment:
		m.Status = StatusNotMediated
		return []events.Payload{m.handOff(events.RoutePunishment, events.CountsNotMediated, m.Station, reason, ctx)}, nil
	}
	m.Status, m.FailReason = StatusFailed, reason
	out := []events.Payload{}
	switch o.Result {
	case ResultLitigation:
		m.Status, m.FailReason = StatusReferred, "referred to litigation: "+reason
		out = append(out, m.handOff(events.RouteLitigation, events.CountsFailed, ctx.Court, reason, ctx))
	case ResultLegalAid:
		m.Status, m.FailReason = StatusReferred, "referred to legal aid: "+reason
		out = append(out, m.handOff(events.RouteLegalAid, events.CountsFailed, ctx.JudicialOffice, reason, ctx))
	}
	failed := events.MediationFailed{Subject: m.subject(), Handoff: back, MediationID: m.ID, Round: m.Round, Reason: m.FailReason, FailedAt: at}
	return append([]events.Payload{failed}, out...), nil
}

func (m *Mediation) resolve(o Outcome, back events.Handoff, ctx Context) ([]events.Payload, error) {
	a := *o.Agreement
	text, err := agreement.Render(agreement.Header{CaseCode: m.CaseCode, MediationID: m.ID, Room: cmp.Or(m.Room.Name, m.Room.ID), Tier: m.Tier, SignedAt: ctx.Now}, a)
	if err != nil {
		return nil, err
	}
	a.Text = text
	pub := a.Published()
	m.Status, m.Settlement, m.Agreement, m.Performance = StatusResolved, &a, &pub, agreement.Track(a)
	out := []events.Payload{events.MediationResolved{Subject: m.subject(), Handoff: back, MediationID: m.ID, Round: m.Round,
		Category: m.Category, RiskLevel: m.RiskLevel, Agreement: pub, ResolvedAt: ctx.Now.UTC()}}
	if o.JudicialConfirmation {
		out = append(out, m.handOff(events.RouteJudicialConfirmation, events.CountsResolved, ctx.Court, "the parties apply for judicial confirmation of the agreement", ctx))
	}
	return out, nil
}

func (m *Mediation) handOff(route, counts string, to events.Agency, reason string, ctx Context) events.Payload {
	m.HandedOff = append(m.HandedOff, HandOff{Route: route, CountsAs: counts, To: to, Reason: reason})
	return events.MediationHandedOff{Subject: m.subject(), Handoff: events.Handoff{From: m.Room, To: to},
		MediationID: m.ID, Round: m.Round, Route: route, CountsAs: counts, Reason: reason, HandedOffAt: ctx.Now.UTC()}
}

func (m Mediation) agreedOnce() bool {
	for _, s := range m.Sessions {
		if s.Record != nil && (s.Record.Result == ResultAgreed || s.Record.Result == ResultPartial) {
			return true
		}
	}
	return false
}
