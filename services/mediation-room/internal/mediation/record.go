package mediation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/tiers"
)

// Result of one session.
type Result string

// Session results: agreed, partial, failed, continue.
const (
	ResultAgreed   Result = "agreed"
	ResultPartial  Result = "partial"
	ResultFailed   Result = "failed"
	ResultContinue Result = "continue"
)

// Position is one side's position at a session.
type Position struct {
	Party    events.PartyRole
	Position string
}

// LegalOpinion is the lawyer's legal opinion (法律意见书) filed at a joint
// session: the facts as found, the legal basis, the analysis and the advice.
type LegalOpinion struct {
	LawyerID   string
	Facts      string
	LegalBasis []string // statutes cited, e.g. 《民法典》第二百八十八条
	Analysis   string
	Advice     string
	IssuedAt   time.Time
}

// SessionRecord is the structured record (调解笔录) of one session.
type SessionRecord struct {
	Focus            string // the dispute focus (争议焦点)
	Positions        []Position
	Opinion          string // the mediators' opinion
	LegalOpinion     *LegalOpinion
	Result           Result
	AgenciesInvolved []string
	RecordedBy       string
	RecordedAt       time.Time
}

// validate checks a record against its session: the focus, both sides'
// positions, the opinion, a known result; a legal opinion only from a lawyer
// who sat in, and always when a joint session reached agreement — the
// lawyer's opinion is what the agreement stands on.
func (r SessionRecord) validate(s Session) error {
	hasSide := func(p events.PartyRole) bool {
		return slices.ContainsFunc(r.Positions, func(x Position) bool { return x.Party == p && strings.TrimSpace(x.Position) != "" })
	}
	switch {
	case strings.TrimSpace(r.Focus) == "":
		return FieldError{"#/focus", "name the dispute focus"}
	case !hasSide(events.PartyApplicant) || !hasSide(events.PartyRespondent):
		return FieldError{"#/positions", "record the applicant's and the respondent's positions"}
	case strings.TrimSpace(r.Opinion) == "":
		return FieldError{"#/opinion", "record the mediators' opinion"}
	case !slices.Contains([]Result{ResultAgreed, ResultPartial, ResultFailed, ResultContinue}, r.Result):
		return FieldError{"#/result", "must be agreed, partial, failed or continue"}
	case r.LegalOpinion == nil && s.Joint && r.Result == ResultAgreed:
		return FieldError{"#/legal_opinion", "a joint session that reached agreement needs the lawyer's legal opinion"}
	}
	if r.LegalOpinion != nil {
		return r.LegalOpinion.validate(s)
	}
	return nil
}

func (o LegalOpinion) validate(s Session) error {
	lawyer := slices.ContainsFunc(s.Participants, func(m Member) bool { return m.MediatorID == o.LawyerID && m.Role == policy.RoleLawyer })
	switch {
	case !lawyer:
		return FieldError{"#/legal_opinion/lawyer_id", "must be a lawyer who sat in the session"}
	case strings.TrimSpace(o.Facts) == "":
		return FieldError{"#/legal_opinion/facts", "state the facts as found"}
	case len(o.LegalBasis) == 0:
		return FieldError{"#/legal_opinion/legal_basis", "cite at least one legal basis"}
	case strings.TrimSpace(o.Advice) == "":
		return FieldError{"#/legal_opinion/advice", "give the advice"}
	}
	return nil
}

// RecordSession files a session's record, as recorded by who files it
// (whatever the record says). A failed session may move the dispute up a
// tier (tiers.AfterFailedSession) and may call a joint meeting
// (jointmeeting.Triggers); both happen in the same change.
func (m *Mediation) RecordSession(no int, r SessionRecord, by string, ctx Context) ([]events.Payload, error) {
	if err := m.requireOpen(); err != nil {
		return nil, err
	}
	if no < 1 || no > len(m.Sessions) {
		return nil, ErrNoSuchSession
	}
	s := &m.Sessions[no-1]
	if s.Record != nil {
		return nil, ErrRecorded
	}
	if err := r.validate(*s); err != nil {
		return nil, err
	}
	r.RecordedBy, r.RecordedAt = by, ctx.Now.UTC()
	if r.LegalOpinion != nil && r.LegalOpinion.IssuedAt.IsZero() {
		r.LegalOpinion.IssuedAt = r.RecordedAt
	}
	s.Record = &r
	m.involve(r.AgenciesInvolved)
	out := []events.Payload{events.MediationSessionRecorded{Subject: m.subject(), Handoff: events.Handoff{From: m.Room, To: m.FirstResponsible},
		MediationID: m.ID, Round: m.Round, Session: no, Tier: s.Tier, Result: string(r.Result), HasLegalOpinion: r.LegalOpinion != nil, RecordedAt: r.RecordedAt}}
	if r.Result == ResultFailed {
		tier := m.Tier
		if d := tiers.AfterFailedSession(policy.Tier(tier), m.failedAt(tier), ctx.Tier); d.Escalate {
			out = append(out, m.Escalate(d, ctx)...)
		}
		out = append(out, m.maybeConvene(ctx, tier == int(policy.TierStreet))...)
	}
	return out, nil
}

func (m *Mediation) involve(agencies []string) {
	for _, a := range agencies {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(m.Agencies, a) {
			m.Agencies = append(m.Agencies, a)
		}
	}
}

// Escalation is one move up the tiers, kept for the record.
type Escalation struct {
	FromTier int
	ToTier   int
	Trigger  string
	Reason   string
	At       time.Time
}

// Escalate moves the mediation one tier up as d says: a new room and a new
// team, the tier's clock restarted, and the first responsible unit kept.
func (m *Mediation) Escalate(d tiers.Decision, ctx Context) []events.Payload {
	from := m.Room
	room := ctx.RoomFor(d.To)
	m.Escalations = append(m.Escalations, Escalation{FromTier: int(d.From), ToTier: int(d.To), Trigger: d.Trigger, Reason: d.Reason, At: ctx.Now.UTC()})
	m.Tier, m.Room, m.RoomKind, m.TierSince = int(d.To), roomAgency(room), room.Kind, ctx.Now.UTC()
	escalated := events.MediationEscalated{Subject: m.subject(), Handoff: events.Handoff{From: from, To: m.Room},
		MediationID: m.ID, Round: m.Round, FromTier: int(d.From), ToTier: int(d.To), Trigger: d.Trigger, Reason: d.Reason,
		FirstResponsible: m.FirstResponsible, EscalatedAt: ctx.Now.UTC()}
	return append([]events.Payload{escalated}, m.rematch(fmt.Sprintf("escalated to tier %d: %s", d.To, d.Reason), ctx)...)
}
