package mediation

import (
	"strings"

	"fengqiao.dev/api/events"
)

// LegalAidRequest asks the judicial office for legal aid (法律援助) for a
// party while the mediation goes on.
type LegalAidRequest struct {
	Reason string
}

// LegalAidBeside is the published reason of legal aid beside a mediation.
const LegalAidBeside = "legal aid beside the mediation"

// RequestLegalAid hands the case to the judicial office for legal aid as a
// step of its own, beside the mediation: the mediation stays open with its
// room and team, and the case counts by its outcome. The person's reason
// may name the parties, so it stays with the mediation; the event says why
// in the platform's words. Once per mediation.
func (m *Mediation) RequestLegalAid(r LegalAidRequest, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(r.Reason)
	if reason == "" {
		return nil, FieldError{"#/reason", "say why legal aid is needed"}
	}
	for _, h := range m.HandedOff {
		if h.Route == events.RouteLegalAid {
			return nil, ErrLegalAidRequested
		}
	}
	ev := m.handOff(events.RouteLegalAid, events.CountsUnchanged, ctx.JudicialOffice, LegalAidBeside, ctx)
	m.HandedOff[len(m.HandedOff)-1].Reason = reason
	return []events.Payload{ev}, nil
}
