package ports

// A mediation as the API shows it. The wire type is separate from the
// aggregate so that the domain's rules do not move when the API's JSON
// does, and the JSON (the contract in api/openapi.json) does not move when
// the domain is refactored: testdata/mediation*.json records it.

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

type mediationView struct {
	ID               string           `json:"id"`
	DisputeID        string           `json:"dispute_id"`
	CountyCode       string           `json:"county_code"`
	CaseCode         string           `json:"case_code"`
	Round            int              `json:"round"`
	Tier             int              `json:"tier"`
	Category         events.Category  `json:"category"`
	RiskLevel        events.RiskLevel `json:"risk_level"`
	Township         string           `json:"township,omitempty"`
	Jurisdiction     events.Agency    `json:"jurisdiction"`
	FirstResponsible events.Agency    `json:"first_responsible"`
	Station          events.Agency    `json:"station"`
	Room             events.Agency    `json:"room"`
	RoomKind         roster.RoomKind  `json:"room_kind,omitempty"`
	Status           mediation.Status `json:"status"`
	OpenedAt         time.Time        `json:"opened_at"`
	TierSince        time.Time        `json:"tier_since"`

	Team         []memberView      `json:"team,omitempty"`
	TeamGaps     []string          `json:"team_gaps,omitempty"`
	Objections   []objectionView   `json:"objections,omitempty"`
	Preferred    []string          `json:"preferred,omitempty"`
	Sessions     []sessionView     `json:"sessions,omitempty"`
	Escalations  []escalationView  `json:"escalations,omitempty"`
	Agencies     []string          `json:"agencies,omitempty"`
	JointMeeting *jointMeetingView `json:"joint_meeting,omitempty"`

	ClosedAt    *time.Time        `json:"closed_at,omitempty"`
	Agreement   *events.Agreement `json:"agreement,omitempty"`
	Settlement  *agreementView    `json:"settlement,omitempty"`
	Performance *performanceView  `json:"performance,omitempty"`
	Breached    bool              `json:"breached,omitempty"`
	HandedOff   []handOffView     `json:"handed_off,omitempty"`
	FailReason  string            `json:"fail_reason,omitempty"`
	ClosedBy    string            `json:"closed_by,omitempty"`
}

type memberView struct {
	Seat       string              `json:"seat"`
	MediatorID string              `json:"mediator_id"`
	Role       policy.MediatorRole `json:"role"`
	Agency     string              `json:"agency"`
	Reasons    []string            `json:"reasons,omitempty"`
}

// objectionView is an objection shown, and the body of POST …/objections.
type objectionView struct {
	MediatorID string           `json:"mediator_id"`
	Party      events.PartyRole `json:"party"`
	Reason     string           `json:"reason"`
	Detail     string           `json:"detail,omitempty"`
	At         time.Time        `json:"at"`
}

type sessionView struct {
	No           int                `json:"no"`
	Tier         int                `json:"tier"`
	Room         events.Agency      `json:"room"`
	StartsAt     time.Time          `json:"starts_at"`
	Participants []memberView       `json:"participants"`
	Joint        bool               `json:"joint"`
	ScheduledAt  time.Time          `json:"scheduled_at"`
	Record       *sessionRecordView `json:"record,omitempty"`
}

// sessionRecordView is a session's record shown, and the body of
// POST …/sessions/{no}/record.
type sessionRecordView struct {
	Focus            string            `json:"focus"`
	Positions        []positionView    `json:"positions"`
	Opinion          string            `json:"opinion"`
	LegalOpinion     *legalOpinionView `json:"legal_opinion,omitempty"`
	Result           mediation.Result  `json:"result"`
	AgenciesInvolved []string          `json:"agencies_involved,omitempty"`
	RecordedBy       string            `json:"recorded_by,omitempty"`
	RecordedAt       time.Time         `json:"recorded_at"`
}

type positionView struct {
	Party    events.PartyRole `json:"party"`
	Position string           `json:"position"`
}

type legalOpinionView struct {
	LawyerID   string    `json:"lawyer_id"`
	Facts      string    `json:"facts"`
	LegalBasis []string  `json:"legal_basis"`
	Analysis   string    `json:"analysis"`
	Advice     string    `json:"advice"`
	IssuedAt   time.Time `json:"issued_at"`
}

type escalationView struct {
	FromTier int       `json:"from_tier"`
	ToTier   int       `json:"to_tier"`
	Trigger  string    `json:"trigger"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

type jointMeetingView struct {
	ID          string         `json:"id"`
	Triggers    []string       `json:"triggers"`
	Reason      string         `json:"reason,omitempty"`
	Agencies    []string       `json:"agencies"`
	Departments []string       `json:"departments,omitempty"`
	ConvenedAt  time.Time      `json:"convened_at"`
	Decisions   []decisionView `json:"decisions,omitempty"`
	ConcludedAt *time.Time     `json:"concluded_at,omitempty"`
}

// decisionView is a joint meeting's decision shown, and one of the body
// of POST …/joint-meeting/decisions.
type decisionView struct {
	Decision string    `json:"decision"`
	Owner    string    `json:"owner"`
	DueBy    time.Time `json:"due_by"`
}

type handOffView struct {
	Route    string        `json:"route"`
	CountsAs string        `json:"counts_as"`
	To       events.Agency `json:"to"`
	Reason   string        `json:"reason"`
}

// agreementView is the settled agreement shown, and the agreement of the
// body of POST …/outcome.
type agreementView struct {
	Summary     string           `json:"summary"`
	Terms       []string         `json:"terms,omitempty"`
	Obligations []obligationView `json:"obligations,omitempty"`
	Signatures  []signatureView  `json:"signatures,omitempty"`
	Text        string           `json:"text,omitempty"`
}

type obligationView struct {
	Obligor   events.PartyRole `json:"obligor"`
	Duty      string           `json:"duty"`
	AmountFen int64            `json:"amount_fen,omitempty"`
	Manner    string           `json:"manner"`
	Place     string           `json:"place"`
	Deadline  time.Time        `json:"deadline"`
}

type signatureView struct {
	Signer   string    `json:"signer"`
	SignedAt time.Time `json:"signed_at"`
}

type performanceView struct {
	Terms []termPerformanceView `json:"terms"`
}

type termPerformanceView struct {
	Term       int              `json:"term"`
	DueBy      time.Time        `json:"due_by"`
	Status     agreement.Status `json:"status"`
	RecordedAt *time.Time       `json:"recorded_at,omitempty"`
	Note       string           `json:"note,omitempty"`
}

func viewOf(m mediation.Mediation) mediationView {
	return mediationView{
		ID: m.ID, DisputeID: m.DisputeID, CountyCode: m.CountyCode, CaseCode: m.CaseCode, Round: m.Round, Tier: m.Tier,
		Category: m.Category, RiskLevel: m.RiskLevel, Township: m.Township, Jurisdiction: m.Jurisdiction,
		FirstResponsible: m.FirstResponsible, Station: m.Station, Room: m.Room, RoomKind: m.RoomKind, Status: m.Status,
		OpenedAt: m.OpenedAt, TierSince: m.TierSince,
		Team: mapping.Slice(m.Team, memberViewOf), TeamGaps: m.TeamGaps, Objections: mapping.Slice(m.Objections, objectionViewOf),
		Preferred: m.Preferred, Sessions: mapping.Slice(m.Sessions, sessionViewOf), Escalations: mapping.Slice(m.Escalations, escalationViewOf),
		Agencies: m.Agencies, JointMeeting: mapping.Ptr(m.JointMeeting, jointMeetingViewOf),
		ClosedAt: m.ClosedAt, Agreement: m.Agreement, Settlement: mapping.Ptr(m.Settlement, agreementViewOf),
		Performance: mapping.Ptr(m.Performance, performanceViewOf), Breached: m.Breached, HandedOff: mapping.Slice(m.HandedOff, handOffViewOf),
		FailReason: m.FailReason, ClosedBy: m.ClosedBy,
	}
}

func viewsOf(ms []mediation.Mediation) []mediationView { return mapping.Slice(ms, viewOf) }

func memberViewOf(m mediation.Member) memberView {
	return memberView{Seat: m.Seat, MediatorID: m.MediatorID, Role: m.Role, Agency: m.Agency, Reasons: m.Reasons}
}

func objectionViewOf(o mediation.Objection) objectionView {
	return objectionView{MediatorID: o.MediatorID, Party: o.Party, Reason: o.Reason, Detail: o.Detail, At: o.At}
}

func (o objectionView) objection() mediation.Objection {
	return mediation.Objection{MediatorID: o.MediatorID, Party: o.Party, Reason: o.Reason, Detail: o.Detail, At: o.At}
}

func sessionViewOf(s mediation.Session) sessionView {
	return sessionView{No: s.No, Tier: s.Tier, Room: s.Room, StartsAt: s.StartsAt, Participants: mapping.Slice(s.Participants, memberViewOf),
		Joint: s.Joint, ScheduledAt: s.ScheduledAt, Record: mapping.Ptr(s.Record, sessionRecordViewOf)}
}

func sessionRecordViewOf(r mediation.SessionRecord) sessionRecordView {
	return sessionRecordView{Focus: r.Focus, Positions: mapping.Slice(r.Positions, positionViewOf), Opinion: r.Opinion,
		LegalOpinion: mapping.Ptr(r.LegalOpinion, legalOpinionViewOf), Result: r.Result, AgenciesInvolved: r.AgenciesInvolved,
		RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
}

func (r sessionRecordView) record() mediation.SessionRecord {
	return mediation.SessionRecord{Focus: r.Focus, Positions: mapping.Slice(r.Positions, positionView.position), Opinion: r.Opinion,
		LegalOpinion: mapping.Ptr(r.LegalOpinion, legalOpinionView.opinion), Result: r.Result, AgenciesInvolved: r.AgenciesInvolved,
		RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
}

func positionViewOf(p mediation.Position) positionView {
	return positionView{Party: p.Party, Position: p.Position}
}

func (p positionView) position() mediation.Position {
	return mediation.Position{Party: p.Party, Position: p.Position}
}

func legalOpinionViewOf(o mediation.LegalOpinion) legalOpinionView {
	return legalOpinionView{LawyerID: o.LawyerID, Facts: o.Facts, LegalBasis: o.LegalBasis, Analysis: o.Analysis, Advice: o.Advice, IssuedAt: o.IssuedAt}
}

func (o legalOpinionView) opinion() mediation.LegalOpinion {
	return mediation.LegalOpinion{LawyerID: o.LawyerID, Facts: o.Facts, LegalBasis: o.LegalBasis, Analysis: o.Analysis, Advice: o.Advice, IssuedAt: o.IssuedAt}
}

func escalationViewOf(e mediation.Escalation) escalationView {
	return escalationView{FromTier: e.FromTier, ToTier: e.ToTier, Trigger: e.Trigger, Reason: e.Reason, At: e.At}
}

func jointMeetingViewOf(j mediation.JointMeeting) jointMeetingView {
	return jointMeetingView{ID: j.ID, Triggers: j.Triggers, Reason: j.Reason, Agencies: j.Agencies, Departments: j.Departments,
		ConvenedAt: j.ConvenedAt, Decisions: mapping.Slice(j.Decisions, decisionViewOf), ConcludedAt: j.ConcludedAt}
}

func decisionViewOf(d mediation.Decision) decisionView {
	return decisionView{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy}
}

func (d decisionView) decision() mediation.Decision {
	return mediation.Decision{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy}
}

func handOffViewOf(h mediation.HandOff) handOffView {
	return handOffView{Route: h.Route, CountsAs: h.CountsAs, To: h.To, Reason: h.Reason}
}

func agreementViewOf(a agreement.Agreement) agreementView {
	return agreementView{Summary: a.Summary, Terms: a.Terms, Obligations: mapping.Slice(a.Obligations, obligationViewOf),
		Signatures: mapping.Slice(a.Signatures, signatureViewOf), Text: a.Text}
}

func (a agreementView) agreement() agreement.Agreement {
	return agreement.Agreement{Summary: a.Summary, Terms: a.Terms, Obligations: mapping.Slice(a.Obligations, obligationView.obligation),
		Signatures: mapping.Slice(a.Signatures, signatureView.signature), Text: a.Text}
}

func obligationViewOf(o agreement.Obligation) obligationView {
	return obligationView{Obligor: o.Obligor, Duty: o.Duty, AmountFen: o.AmountFen, Manner: o.Manner, Place: o.Place, Deadline: o.Deadline}
}

func (o obligationView) obligation() agreement.Obligation {
	return agreement.Obligation{Obligor: o.Obligor, Duty: o.Duty, AmountFen: o.AmountFen, Manner: o.Manner, Place: o.Place, Deadline: o.Deadline}
}

func signatureViewOf(s agreement.Signature) signatureView {
	return signatureView{Signer: s.Signer, SignedAt: s.SignedAt}
}

func (s signatureView) signature() agreement.Signature {
	return agreement.Signature{Signer: s.Signer, SignedAt: s.SignedAt}
}

func performanceViewOf(p agreement.Performance) performanceView {
	return performanceView{Terms: mapping.Slice(p.Terms, termPerformanceViewOf)}
}

func termPerformanceViewOf(t agreement.TermPerformance) termPerformanceView {
	return termPerformanceView{Term: t.Term, DueBy: t.DueBy, Status: t.Status, RecordedAt: t.RecordedAt, Note: t.Note}
}
