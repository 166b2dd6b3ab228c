package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/matching"
)

// Member is one mediator seated on the case, with why matching chose them.
type Member struct {
	Seat       string
	MediatorID string
	Role       policy.MediatorRole
	Agency     string
	Reasons    []string
}

// OnTeam reports whether the mediator with the staff ID id, of the unit
// agency, is seated on the case now. One replaced after an objection, or
// left behind when the case moved to another tier, is no longer on it:
// what the mediation holds is then for the mediators who carry it on.
func (m Mediation) OnTeam(agency, id string) bool {
	return id != "" && slices.ContainsFunc(m.Team, func(t Member) bool { return t.MediatorID == id && t.Agency == agency })
}

// Objection is a party's objection to a mediator (回避).
type Objection struct {
	MediatorID string
	Party      events.PartyRole
	Reason     string // conflict_of_interest | relative | prior_involvement | other
	Detail     string
	At         time.Time
}

var objectionReasons = []string{"conflict_of_interest", "relative", "prior_involvement", "other"}

// Validate checks an objection against the team.
func (o Objection) validate(team []Member) error {
	switch {
	case !slices.ContainsFunc(team, func(m Member) bool { return m.MediatorID == o.MediatorID }):
		return FieldError{"#/mediator_id", "is not on the case's team"}
	case o.Party != events.PartyApplicant && o.Party != events.PartyRespondent && o.Party != events.PartyThird:
		return FieldError{"#/party", "must be applicant, respondent or third_party"}
	case !slices.Contains(objectionReasons, o.Reason):
		return FieldError{"#/reason", "must be one of " + strings.Join(objectionReasons, ", ")}
	case o.Reason == "other" && strings.TrimSpace(o.Detail) == "":
		return FieldError{"#/detail", "say what the objection is"}
	}
	return nil
}

// Excluded lists the mediators the parties objected to, and why.
func (m Mediation) Excluded() map[string]string {
	out := map[string]string{}
	for _, o := range m.Objections {
		out[o.MediatorID] = strings.ReplaceAll(o.Reason, "_", " ")
	}
	return out
}

// Object records a party's objection and replaces the mediator: the seat is
// matched again without them.
func (m *Mediation) Object(o Objection, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	if err := o.validate(m.Team); err != nil {
		return nil, err
	}
	o.At = ctx.Now.UTC()
	m.Objections = append(m.Objections, o)
	reason := fmt.Sprintf("replaced %s after the %s's objection (%s)", o.MediatorID, o.Party, strings.ReplaceAll(o.Reason, "_", " "))
	return m.rematch(reason, ctx), nil
}

// Prefer records the mediators a party asked for and matches the team
// again, honouring them where possible ("点单式").
func (m *Mediation) Prefer(ids []string, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, FieldError{"#/mediator_ids", "name at least one mediator"}
	}
	m.Preferred = ids
	return m.rematch("re-matched with a party's preferred mediators", ctx), nil
}

// rematch seats a new team at the current tier and says so.
func (m *Mediation) rematch(reason string, ctx Context) []events.Payload {
	team := ctx.Match(policy.Tier(m.Tier), m.Excluded(), m.Preferred)
	m.Team, m.TeamGaps = teamMembers(team), append(team.Gaps, team.Notes...)
	if len(m.TeamGaps) > 0 {
		reason += "; " + strings.Join(m.TeamGaps, "; ")
	}
	return []events.Payload{m.assigned(reason, events.Handoff{From: m.Room, To: m.Room}, ctx.Now)}
}

// Assigned is the event of the team matched at opening: the room's own
// decision, so from the room to the room.
func (m Mediation) Assigned(now time.Time) events.Payload {
	reason := "matched at opening"
	if len(m.TeamGaps) > 0 {
		reason += "; " + strings.Join(m.TeamGaps, "; ")
	}
	return m.assigned(reason, events.Handoff{From: m.Room, To: m.Room}, now)
}

func (m Mediation) assigned(reason string, h events.Handoff, now time.Time) events.Payload {
	return events.MediatorsAssigned{Subject: m.subject(), Handoff: h, MediationID: m.ID, Round: m.Round, Tier: m.Tier,
		Team: published(m.Team), Reason: reason, AssignedAt: now.UTC()}
}

// TeamOf converts a matched team for Open.
func TeamOf(t matching.Team) ([]Member, []string) { return teamMembers(t), append(t.Gaps, t.Notes...) }
