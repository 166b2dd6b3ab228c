package adapters

// The mediation's storage model. It is separate from the aggregate so that
// the domain's rules do not move when the stored shape does, and the stored
// shape does not move when the domain is refactored: stores already hold
// these documents, and testdata/mediation*.json records their shape.

import (
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/mediation-room/internal/mediation"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// MediationDocument is a mediation as the store keeps it.
type MediationDocument struct {
	ID               string           `bson:"id"`
	DisputeID        string           `bson:"dispute_id"`
	CountyCode       string           `bson:"county_code"`
	CaseCode         string           `bson:"case_code"`
	Round            int              `bson:"round"`
	Tier             int              `bson:"tier"`
	Category         string           `bson:"category"`
	RiskLevel        string           `bson:"risk_level"`
	Township         string           `bson:"township,omitempty"`
	Jurisdiction     eventdocs.Agency `bson:"jurisdiction"`
	FirstResponsible eventdocs.Agency `bson:"first_responsible"`
	Station          eventdocs.Agency `bson:"station"`
	Room             eventdocs.Agency `bson:"room"`
	RoomKind         string           `bson:"room_kind,omitempty"`
	Status           string           `bson:"status"`
	OpenedAt         time.Time        `bson:"opened_at"`
	TierSince        time.Time        `bson:"tier_since"`

	Team         []MemberDocument      `bson:"team,omitempty"`
	TeamGaps     []string              `bson:"team_gaps,omitempty"`
	Objections   []ObjectionDocument   `bson:"objections,omitempty"`
	Preferred    []string              `bson:"preferred,omitempty"`
	Sessions     []SessionDocument     `bson:"sessions,omitempty"`
	Escalations  []EscalationDocument  `bson:"escalations,omitempty"`
	Agencies     []string              `bson:"agencies,omitempty"`
	JointMeeting *JointMeetingDocument `bson:"joint_meeting,omitempty"`

	ClosedAt    *time.Time                  `bson:"closed_at,omitempty"`
	Agreement   *PublishedAgreementDocument `bson:"agreement,omitempty"`
	Settlement  *AgreementDocument          `bson:"settlement,omitempty"`
	Performance *PerformanceDocument        `bson:"performance,omitempty"`
	Breached    bool                        `bson:"breached,omitempty"`
	HandedOff   []HandOffDocument           `bson:"handed_off,omitempty"`
	FailReason  string                      `bson:"fail_reason,omitempty"`
	ClosedBy    string                      `bson:"closed_by,omitempty"`
}

// PublishedAgreementDocument is the agreement as published, its field
// names as the driver wrote the untagged events.Agreement.
type PublishedAgreementDocument struct {
	TermCount int   `bson:"termcount"`
	AmountFen int64 `bson:"amountfen"`
}

// MemberDocument is a seat of the team or a session's participant.
type MemberDocument struct {
	Seat       string   `bson:"seat"`
	MediatorID string   `bson:"mediator_id"`
	Role       string   `bson:"role"`
	Agency     string   `bson:"agency"`
	Reasons    []string `bson:"reasons,omitempty"`
}

// ObjectionDocument is a party's objection to a mediator.
type ObjectionDocument struct {
	MediatorID string    `bson:"mediator_id"`
	Party      string    `bson:"party"`
	Reason     string    `bson:"reason"`
	Detail     string    `bson:"detail,omitempty"`
	At         time.Time `bson:"at"`
}

// SessionDocument is a session and, once held, its record.
type SessionDocument struct {
	No           int                    `bson:"no"`
	Tier         int                    `bson:"tier"`
	Room         eventdocs.Agency       `bson:"room"`
	StartsAt     time.Time              `bson:"starts_at"`
	Participants []MemberDocument       `bson:"participants"`
	Joint        bool                   `bson:"joint"`
	ScheduledAt  time.Time              `bson:"scheduled_at"`
	Record       *SessionRecordDocument `bson:"record,omitempty"`
}

// SessionRecordDocument is the record of a session held.
type SessionRecordDocument struct {
	Focus            string                `bson:"focus"`
	Positions        []PositionDocument    `bson:"positions"`
	Opinion          string                `bson:"opinion"`
	LegalOpinion     *LegalOpinionDocument `bson:"legal_opinion,omitempty"`
	Result           string                `bson:"result"`
	AgenciesInvolved []string              `bson:"agencies_involved,omitempty"`
	RecordedBy       string                `bson:"recorded_by,omitempty"`
	RecordedAt       time.Time             `bson:"recorded_at"`
}

// PositionDocument is one party's position at a session.
type PositionDocument struct {
	Party    string `bson:"party"`
	Position string `bson:"position"`
}

// LegalOpinionDocument is the lawyer's opinion at a joint session.
type LegalOpinionDocument struct {
	LawyerID   string    `bson:"lawyer_id"`
	Facts      string    `bson:"facts"`
	LegalBasis []string  `bson:"legal_basis"`
	Analysis   string    `bson:"analysis"`
	Advice     string    `bson:"advice"`
	IssuedAt   time.Time `bson:"issued_at"`
}

// EscalationDocument is one move up the tiers.
type EscalationDocument struct {
	FromTier int       `bson:"from_tier"`
	ToTier   int       `bson:"to_tier"`
	Trigger  string    `bson:"trigger"`
	Reason   string    `bson:"reason"`
	At       time.Time `bson:"at"`
}

// JointMeetingDocument is the case's joint meeting.
type JointMeetingDocument struct {
	ID          string             `bson:"id"`
	Triggers    []string           `bson:"triggers"`
	Reason      string             `bson:"reason,omitempty"`
	Agencies    []string           `bson:"agencies"`
	Departments []string           `bson:"departments,omitempty"`
	ConvenedAt  time.Time          `bson:"convened_at"`
	Decisions   []DecisionDocument `bson:"decisions,omitempty"`
	ConcludedAt *time.Time         `bson:"concluded_at,omitempty"`
}

// DecisionDocument is one decision of the joint meeting.
type DecisionDocument struct {
	Decision string    `bson:"decision"`
	Owner    string    `bson:"owner"`
	DueBy    time.Time `bson:"due_by"`
}

// HandOffDocument is a hand-off of the case to another route.
type HandOffDocument struct {
	Route    string           `bson:"route"`
	CountsAs string           `bson:"counts_as"`
	To       eventdocs.Agency `bson:"to"`
	Reason   string           `bson:"reason"`
}

func toMediationDocument(m mediation.Mediation) MediationDocument {
	return MediationDocument{
		ID: m.ID, DisputeID: m.DisputeID, CountyCode: m.CountyCode, CaseCode: m.CaseCode,
		Round: m.Round, Tier: m.Tier, Category: string(m.Category), RiskLevel: string(m.RiskLevel), Township: m.Township,
		Jurisdiction: eventdocs.AgencyOf(m.Jurisdiction), FirstResponsible: eventdocs.AgencyOf(m.FirstResponsible),
		Station: eventdocs.AgencyOf(m.Station), Room: eventdocs.AgencyOf(m.Room), RoomKind: string(m.RoomKind),
		Status: string(m.Status), OpenedAt: m.OpenedAt, TierSince: m.TierSince,
		Team: mapping.Slice(m.Team, toMemberDocument), TeamGaps: m.TeamGaps, Objections: mapping.Slice(m.Objections, toObjectionDocument),
		Preferred: m.Preferred, Sessions: mapping.Slice(m.Sessions, toSessionDocument), Escalations: mapping.Slice(m.Escalations, toEscalationDocument),
		Agencies: m.Agencies, JointMeeting: mapping.Ptr(m.JointMeeting, toJointMeetingDocument),
		ClosedAt: m.ClosedAt, Agreement: mapping.Ptr(m.Agreement, toPublishedAgreementDocument),
		Settlement: mapping.Ptr(m.Settlement, toAgreementDocument), Performance: mapping.Ptr(m.Performance, toPerformanceDocument),
		Breached: m.Breached, HandedOff: mapping.Slice(m.HandedOff, toHandOffDocument), FailReason: m.FailReason, ClosedBy: m.ClosedBy,
	}
}

func fromMediationDocument(d MediationDocument) mediation.Mediation {
	return mediation.Mediation{
		ID: d.ID, DisputeID: d.DisputeID, CountyCode: d.CountyCode, CaseCode: d.CaseCode,
		Round: d.Round, Tier: d.Tier, Category: events.Category(d.Category), RiskLevel: events.RiskLevel(d.RiskLevel), Township: d.Township,
		Jurisdiction: d.Jurisdiction.Event(), FirstResponsible: d.FirstResponsible.Event(),
		Station: d.Station.Event(), Room: d.Room.Event(), RoomKind: roster.RoomKind(d.RoomKind),
		Status: mediation.Status(d.Status), OpenedAt: d.OpenedAt, TierSince: d.TierSince,
		Team: mapping.Slice(d.Team, fromMemberDocument), TeamGaps: d.TeamGaps, Objections: mapping.Slice(d.Objections, fromObjectionDocument),
		Preferred: d.Preferred, Sessions: mapping.Slice(d.Sessions, fromSessionDocument), Escalations: mapping.Slice(d.Escalations, fromEscalationDocument),
		Agencies: d.Agencies, JointMeeting: mapping.Ptr(d.JointMeeting, fromJointMeetingDocument),
		ClosedAt: d.ClosedAt, Agreement: mapping.Ptr(d.Agreement, fromPublishedAgreementDocument),
		Settlement: mapping.Ptr(d.Settlement, fromAgreementDocument), Performance: mapping.Ptr(d.Performance, fromPerformanceDocument),
		Breached: d.Breached, HandedOff: mapping.Slice(d.HandedOff, fromHandOffDocument), FailReason: d.FailReason, ClosedBy: d.ClosedBy,
	}
}

func toPublishedAgreementDocument(a events.Agreement) PublishedAgreementDocument {
	return PublishedAgreementDocument{TermCount: a.TermCount, AmountFen: a.AmountFen}
}

func fromPublishedAgreementDocument(d PublishedAgreementDocument) events.Agreement {
	return events.Agreement{TermCount: d.TermCount, AmountFen: d.AmountFen}
}

func toMemberDocument(m mediation.Member) MemberDocument {
	return MemberDocument{Seat: m.Seat, MediatorID: m.MediatorID, Role: string(m.Role), Agency: m.Agency, Reasons: m.Reasons}
}

func fromMemberDocument(d MemberDocument) mediation.Member {
	return mediation.Member{Seat: d.Seat, MediatorID: d.MediatorID, Role: policy.MediatorRole(d.Role), Agency: d.Agency, Reasons: d.Reasons}
}

func toObjectionDocument(o mediation.Objection) ObjectionDocument {
	return ObjectionDocument{MediatorID: o.MediatorID, Party: string(o.Party), Reason: o.Reason, Detail: o.Detail, At: o.At}
}

func fromObjectionDocument(d ObjectionDocument) mediation.Objection {
	return mediation.Objection{MediatorID: d.MediatorID, Party: events.PartyRole(d.Party), Reason: d.Reason, Detail: d.Detail, At: d.At}
}

func toSessionDocument(s mediation.Session) SessionDocument {
	return SessionDocument{No: s.No, Tier: s.Tier, Room: eventdocs.AgencyOf(s.Room), StartsAt: s.StartsAt,
		Participants: mapping.Slice(s.Participants, toMemberDocument), Joint: s.Joint, ScheduledAt: s.ScheduledAt,
		Record: mapping.Ptr(s.Record, toSessionRecordDocument)}
}

func fromSessionDocument(d SessionDocument) mediation.Session {
	return mediation.Session{No: d.No, Tier: d.Tier, Room: d.Room.Event(), StartsAt: d.StartsAt,
		Participants: mapping.Slice(d.Participants, fromMemberDocument), Joint: d.Joint, ScheduledAt: d.ScheduledAt,
		Record: mapping.Ptr(d.Record, fromSessionRecordDocument)}
}

func toSessionRecordDocument(r mediation.SessionRecord) SessionRecordDocument {
	return SessionRecordDocument{Focus: r.Focus, Positions: mapping.Slice(r.Positions, toPositionDocument), Opinion: r.Opinion,
		LegalOpinion: mapping.Ptr(r.LegalOpinion, toLegalOpinionDocument), Result: string(r.Result),
		AgenciesInvolved: r.AgenciesInvolved, RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
}

func fromSessionRecordDocument(d SessionRecordDocument) mediation.SessionRecord {
	return mediation.SessionRecord{Focus: d.Focus, Positions: mapping.Slice(d.Positions, fromPositionDocument), Opinion: d.Opinion,
		LegalOpinion: mapping.Ptr(d.LegalOpinion, fromLegalOpinionDocument), Result: mediation.Result(d.Result),
		AgenciesInvolved: d.AgenciesInvolved, RecordedBy: d.RecordedBy, RecordedAt: d.RecordedAt}
}

func toPositionDocument(p mediation.Position) PositionDocument {
	return PositionDocument{Party: string(p.Party), Position: p.Position}
}

func fromPositionDocument(d PositionDocument) mediation.Position {
	return mediation.Position{Party: events.PartyRole(d.Party), Position: d.Position}
}

func toLegalOpinionDocument(o mediation.LegalOpinion) LegalOpinionDocument {
	return LegalOpinionDocument{LawyerID: o.LawyerID, Facts: o.Facts, LegalBasis: o.LegalBasis, Analysis: o.Analysis,
		Advice: o.Advice, IssuedAt: o.IssuedAt}
}

func fromLegalOpinionDocument(d LegalOpinionDocument) mediation.LegalOpinion {
	return mediation.LegalOpinion{LawyerID: d.LawyerID, Facts: d.Facts, LegalBasis: d.LegalBasis, Analysis: d.Analysis,
		Advice: d.Advice, IssuedAt: d.IssuedAt}
}

func toEscalationDocument(e mediation.Escalation) EscalationDocument {
	return EscalationDocument{FromTier: e.FromTier, ToTier: e.ToTier, Trigger: e.Trigger, Reason: e.Reason, At: e.At}
}

func fromEscalationDocument(d EscalationDocument) mediation.Escalation {
	return mediation.Escalation{FromTier: d.FromTier, ToTier: d.ToTier, Trigger: d.Trigger, Reason: d.Reason, At: d.At}
}

func toJointMeetingDocument(j mediation.JointMeeting) JointMeetingDocument {
	return JointMeetingDocument{ID: j.ID, Triggers: j.Triggers, Reason: j.Reason, Agencies: j.Agencies, Departments: j.Departments,
		ConvenedAt: j.ConvenedAt, Decisions: mapping.Slice(j.Decisions, toDecisionDocument), ConcludedAt: j.ConcludedAt}
}

func fromJointMeetingDocument(d JointMeetingDocument) mediation.JointMeeting {
	return mediation.JointMeeting{ID: d.ID, Triggers: d.Triggers, Reason: d.Reason, Agencies: d.Agencies, Departments: d.Departments,
		ConvenedAt: d.ConvenedAt, Decisions: mapping.Slice(d.Decisions, fromDecisionDocument), ConcludedAt: d.ConcludedAt}
}

func toDecisionDocument(d mediation.Decision) DecisionDocument {
	return DecisionDocument{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy}
}

func fromDecisionDocument(d DecisionDocument) mediation.Decision {
	return mediation.Decision{Decision: d.Decision, Owner: d.Owner, DueBy: d.DueBy}
}

func toHandOffDocument(h mediation.HandOff) HandOffDocument {
	return HandOffDocument{Route: h.Route, CountsAs: h.CountsAs, To: eventdocs.AgencyOf(h.To), Reason: h.Reason}
}

func fromHandOffDocument(d HandOffDocument) mediation.HandOff {
	return mediation.HandOff{Route: d.Route, CountsAs: d.CountsAs, To: d.To.Event(), Reason: d.Reason}
}
