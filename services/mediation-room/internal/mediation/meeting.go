package mediation

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/jointmeeting"
)

// JointMeeting is the case's joint meeting (联席会议): why it was called,
// who was convened, and what they decided.
type JointMeeting struct {
	ID       string
	Triggers []string
	// Reason is why a person convened it; the policy's triggers need none.
	Reason      string
	Agencies    []string
	Departments []string
	ConvenedAt  time.Time
	Decisions   []Decision
	ConcludedAt *time.Time
}

// Decision is one decision of a joint meeting and its owner.
type Decision struct {
	Decision string
	Owner    string // agency or department ID
	DueBy    time.Time
}

// facts are what the joint-meeting rule looks at.
func (m Mediation) facts(tier1Failed bool, now time.Time) jointmeeting.Facts {
	return jointmeeting.Facts{Risk: policy.RiskLevel(m.RiskLevel), Round: m.Round, FailedSessions: m.failedAll(),
		Agencies: len(m.Agencies), Tier1Failed: tier1Failed, OpenedAt: m.OpenedAt, Now: now}
}

// maybeConvene convenes the joint meeting once, when the policy's triggers
// say so: the police station blows the whistle, the committee convenes,
// the departments come ("公安吹哨、部门到位", Qingdao).
func (m *Mediation) maybeConvene(ctx Context, tier1Failed bool) []events.Payload {
	if m.JointMeeting != nil || !m.IsOpen() {
		return nil
	}
	triggers := jointmeeting.Triggers(m.facts(tier1Failed, ctx.Now), ctx.Meeting)
	if len(triggers) == 0 {
		return nil
	}
	return m.convene(triggers, m.Agencies, ctx)
}

// convene calls the joint meeting: the police station to the committee,
// with the first responsible unit, the room and the departments.
func (m *Mediation) convene(triggers, departments []string, ctx Context) []events.Payload {
	convened := []events.Agency{m.Station, ctx.Committee, m.FirstResponsible, m.Room}
	jm := &JointMeeting{ID: m.ID + ".j1", Triggers: triggers, Departments: departments, ConvenedAt: ctx.Now.UTC()}
	for _, a := range convened {
		jm.Agencies = append(jm.Agencies, a.ID)
	}
	m.JointMeeting = jm
	return []events.Payload{events.JointMeetingConvened{Subject: m.subject(), Handoff: events.Handoff{From: m.Station, To: ctx.Committee},
		MediationID: m.ID, Round: m.Round, MeetingID: jm.ID, Triggers: triggers, Agencies: convened,
		Departments: jm.Departments, ConvenedAt: jm.ConvenedAt}}
}

// ConveneRequest is a person's call for a joint meeting: why, and the
// departments to call in (labour inspection, housing…) by ID.
type ConveneRequest struct {
	Reason      string
	Departments []string
}

// Convene calls the case's joint meeting at a person's request, as a step of
// its own, without waiting for the policy's triggers ("公安吹哨、部门到位").
// A case has one joint meeting; its reason stays with the mediation, the
// event says "requested".
func (m *Mediation) Convene(r ConveneRequest, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(r.Reason)
	if reason == "" {
		return nil, FieldError{"#/reason", "say why the joint meeting is needed"}
	}
	if m.JointMeeting != nil {
		return nil, ErrConvened
	}
	departments := append(slices.Clone(m.Agencies), r.Departments...)
	evs := m.convene([]string{jointmeeting.TriggerRequested}, slices.Compact(slices.Sorted(slices.Values(departments))), ctx)
	m.JointMeeting.Reason = reason
	return evs, nil
}

// Conclude records the joint meeting's decisions, each with its owner and
// deadline; the case stays with its room to carry them out.
func (m *Mediation) Conclude(decisions []Decision, ctx Context) ([]events.Payload, error) {
	switch {
	case m.JointMeeting == nil:
		return nil, ErrNoMeeting
	case m.JointMeeting.ConcludedAt != nil:
		return nil, ErrConcluded
	case len(decisions) == 0:
		return nil, FieldError{"#/decisions", "record at least one decision"}
	}
	out := make([]events.JointMeetingDecision, 0, len(decisions))
	for i, d := range decisions {
		if err := d.validate(i); err != nil {
			return nil, err
		}
		out = append(out, events.JointMeetingDecision{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy.UTC()})
	}
	at := ctx.Now.UTC()
	m.JointMeeting.Decisions, m.JointMeeting.ConcludedAt = decisions, &at
	return []events.Payload{events.JointMeetingConcluded{Subject: m.subject(), Handoff: events.Handoff{From: ctx.Committee, To: m.Room},
		MediationID: m.ID, Round: m.Round, MeetingID: m.JointMeeting.ID, Decisions: out, ConcludedAt: at}}, nil
}

func (d Decision) validate(i int) error {
	at := "#/decisions/" + strconv.Itoa(i)
	switch {
	case strings.TrimSpace(d.Decision) == "":
		return FieldError{at + "/decision", "say what was decided"}
	case strings.TrimSpace(d.Owner) == "":
		return FieldError{at + "/owner", "name the agency or department that owns it"}
	case d.DueBy.IsZero():
		return FieldError{at + "/due_by", "say by when"}
	}
	return nil
}
