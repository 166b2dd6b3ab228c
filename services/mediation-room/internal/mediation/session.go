package mediation

import (
	"slices"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
)

// Session is one sitting of the mediation: a room, a time, participants,
// and afterwards its record.
type Session struct {
	No           int
	Tier         int
	Room         events.Agency
	StartsAt     time.Time
	Participants []Member
	Joint        bool // 三所联调: police, judicial office, lawyer
	ScheduledAt  time.Time
	Record       *SessionRecord
}

// Schedule is a request to hold a session. Participants default to the
// team; a named participant must be on it.
type Schedule struct {
	StartsAt     time.Time
	Participants []string
}

// IsJoint reports whether participants make a joint session (三所联调,
// Qingdao): a police officer, a judicial-office mediator and a lawyer together.
func IsJoint(participants []Member) bool {
	has := func(roles ...policy.MediatorRole) bool {
		return slices.ContainsFunc(participants, func(m Member) bool { return slices.Contains(roles, m.Role) })
	}
	return has(policy.RolePoliceOfficer) && has(policy.RolePeopleMediator, policy.RoleJudicialAssistant) && has(policy.RoleLawyer)
}

// ScheduleSession sets the next session in the mediation's room. One
// session at a time: the last must have its record first.
func (m *Mediation) ScheduleSession(s Schedule, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	if n := len(m.Sessions); n > 0 && m.Sessions[n-1].Record == nil {
		return nil, ErrSessionPending
	}
	if s.StartsAt.IsZero() {
		return nil, FieldError{"#/starts_at", "say when the session starts"}
	}
	people, err := m.participants(s.Participants)
	if err != nil {
		return nil, err
	}
	session := Session{No: len(m.Sessions) + 1, Tier: m.Tier, Room: m.Room, StartsAt: s.StartsAt.UTC(),
		Participants: people, Joint: IsJoint(people), ScheduledAt: ctx.Now.UTC()}
	m.Sessions = append(m.Sessions, session)
	return []events.Payload{events.MediationSessionScheduled{Subject: m.subject(), Handoff: events.Handoff{From: m.FirstResponsible, To: m.Room},
		MediationID: m.ID, Round: m.Round, Session: session.No, Tier: m.Tier, Joint: session.Joint,
		Participants: published(people), StartsAt: session.StartsAt, ScheduledAt: session.ScheduledAt}}, nil
}

func (m Mediation) participants(ids []string) ([]Member, error) {
	if len(ids) == 0 {
		if len(m.Team) == 0 {
			return nil, FieldError{"#/participants", "the case has no team yet: name the participants"}
		}
		return m.Team, nil
	}
	var out []Member
	for _, id := range ids {
		i := slices.IndexFunc(m.Team, func(t Member) bool { return t.MediatorID == id })
		if i < 0 {
			return nil, FieldError{"#/participants", id + " is not on the case's team"}
		}
		out = append(out, m.Team[i])
	}
	return out, nil
}

// failedAt counts the failed sessions at a tier; failedAll in every tier.
func (m Mediation) failedAt(tier int) int {
	n := 0
	for _, s := range m.Sessions {
		if s.Tier == tier && s.Record != nil && s.Record.Result == ResultFailed {
			n++
		}
	}
	return n
}

func (m Mediation) failedAll() int {
	n := 0
	for _, s := range m.Sessions {
		if s.Record != nil && s.Record.Result == ResultFailed {
			n++
		}
	}
	return n
}
