package mediation

import (
	"errors"
	"strings"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// Performed is a report on one obligation of the agreement.
type Performed struct {
	Term      int // 1-based
	Performed *bool
	Note      string
}

// RecordPerformance records whether an obligation was performed (履约). The
// first missed term reopens the case: the event goes to the police station
// that owns the dispute, and intake starts its next round.
func (m *Mediation) RecordPerformance(p Performed, ctx Context) ([]events.Payload, error) {
	if m.Status != StatusResolved || m.Performance == nil {
		return nil, ErrNotResolved
	}
	if p.Performed == nil {
		return nil, FieldError{"#/performed", "say whether the term was performed"}
	}
	t, err := m.Performance.Record(p.Term, *p.Performed, strings.TrimSpace(p.Note), ctx.Now)
	switch {
	case errors.Is(err, agreement.ErrNoSuchTerm):
		return nil, FieldError{"#/term", "the agreement has no such obligation"}
	case err != nil:
		return nil, err
	}
	return []events.Payload{m.performance(t)}, nil
}

func (m *Mediation) performance(t agreement.TermPerformance) events.Payload {
	ev := events.MediationPerformanceRecorded{Subject: m.subject(), Handoff: events.Handoff{From: m.Room, To: m.FirstResponsible},
		MediationID: m.ID, Round: m.Round, Term: t.Term, Status: string(t.Status), DueBy: t.DueBy, RecordedAt: *t.RecordedAt}
	if t.Status == agreement.Missed && !m.Breached {
		m.Breached = true
		ev.Reopens, ev.To = true, m.Station
	}
	return ev
}

// Sweep applies the deadlines that passed by ctx.Now: a tier outstayed
// moves the dispute up (or, at tier 1, may call the joint meeting); a
// joint meeting due on time alone is convened; an obligation past its
// deadline without a report is recorded as missed.
func (m *Mediation) Sweep(ctx Context) []events.Payload {
	var out []events.Payload
	if m.IsOpen() {
		d := tiers.AtDeadline(policy.Tier(m.Tier), m.TierSince, ctx.Now, ctx.Tier)
		if d.Escalate {
			out = append(out, m.Escalate(d, ctx)...)
		}
		out = append(out, m.maybeConvene(ctx, d.Trigger != "" && !d.Escalate)...)
	}
	if m.Status == StatusResolved && m.Performance != nil {
		for _, term := range m.Performance.Overdue(ctx.Now) {
			t, err := m.Performance.Record(term, false, "deadline passed without performance", ctx.Now)
			if err == nil {
				out = append(out, m.performance(t))
			}
		}
	}
	return out
}
