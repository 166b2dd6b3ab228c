package events

// Event type names (ce_type). They are versioned: a breaking change to a
// payload gets a new type, never an edit of an old one.
const (
	TypeDisputeRegistered = "dev.fengqiao.dispute.registered.v1"
	TypeDisputeReopened   = "dev.fengqiao.dispute.reopened.v1"
	// Repeat reports and second handling (二次处置).
	TypeDisputeReportLinked   = "dev.fengqiao.dispute.report_linked.v1"
	TypeDisputeSecondHandling = "dev.fengqiao.dispute.second_handling.v1"
	TypeDisputeRiskRegraded   = "dev.fengqiao.dispute.risk_regraded.v1"
	TypeDisputeRedirected     = "dev.fengqiao.dispute.redirected.v1"
	TypeReferralIssued        = "dev.fengqiao.referral.issued.v1"
	TypeReferralCopyIssued    = "dev.fengqiao.referral.copy_issued.v1"
	TypeReferralCopyAccepted  = "dev.fengqiao.referral.copy_accepted.v1"
	// Deadline warnings, escalation and returns (退单) of a copy.
	TypeReferralCopyDeadlineWarning = "dev.fengqiao.referral.copy_deadline_warning.v1"
	TypeReferralCopyEscalated       = "dev.fengqiao.referral.copy_escalated.v1"
	TypeReferralCopyReturned        = "dev.fengqiao.referral.copy_returned.v1"
	// A slip handed to another county of the province (a cross-county dispute).
	TypeReferralTransferred = "dev.fengqiao.referral.transferred.v1"
	TypeMediationOpened     = "dev.fengqiao.mediation.opened.v1"
	TypeMediationResolved   = "dev.fengqiao.mediation.resolved.v1"
	TypeMediationFailed     = "dev.fengqiao.mediation.failed.v1"
	// The mediation room: matching, sessions, tiers, joint meetings, hand-offs, performance.
	TypeMediatorsAssigned            = "dev.fengqiao.mediation.mediators_assigned.v1"
	TypeMediationSessionScheduled    = "dev.fengqiao.mediation.session_scheduled.v1"
	TypeMediationSessionRecorded     = "dev.fengqiao.mediation.session_recorded.v1"
	TypeMediationEscalated           = "dev.fengqiao.mediation.escalated.v1"
	TypeJointMeetingConvened         = "dev.fengqiao.mediation.joint_meeting_convened.v1"
	TypeJointMeetingConcluded        = "dev.fengqiao.mediation.joint_meeting_concluded.v1"
	TypeMediationHandedOff           = "dev.fengqiao.mediation.handed_off.v1"
	TypeMediationPerformanceRecorded = "dev.fengqiao.mediation.performance_recorded.v1"
	TypeRevisitScheduled             = "dev.fengqiao.revisit.scheduled.v1"
	TypeRevisitCompleted             = "dev.fengqiao.revisit.completed.v1"
	TypeRevisitEscalated             = "dev.fengqiao.revisit.escalated.v1"
)

// Payload is implemented by every event payload. It lets the plumbing build
// the envelope (type, subject, county) without knowing the concrete type.
type Payload interface {
	EventType() string
	DisputeKey() string // the dispute ID: ce_subject and the message key
	County() string     // the county code: ce_countycode
}

// AgencyKind is the kind of body a handoff is from or to (docs/domain.md, actors).
type AgencyKind string

// The agencies of the closed loop.
const (
	AgencyPoliceStation    AgencyKind = "police_station"            // 派出所
	AgencyCommittee        AgencyKind = "political_legal_committee" // 党委政法委
	AgencyGovernanceCentre AgencyKind = "governance_centre"         // 综治中心
	AgencyJudicialOffice   AgencyKind = "judicial_office"           // 司法所
	AgencyMediationRoom    AgencyKind = "mediation_room"            // 调解室
	AgencyLawFirm          AgencyKind = "law_firm"                  // 律师事务所
	AgencyCourt            AgencyKind = "court"                     // 法院
)

// Agency identifies one unit of one county.
type Agency struct {
	Kind AgencyKind `json:"kind"`
	ID   string     `json:"id"`
	Name string     `json:"name,omitempty"`
}

// Handoff names the agency an event is from and the one it is to. Every
// payload embeds it, so every handoff between agencies is in the data.
type Handoff struct {
	From Agency `json:"from"`
	To   Agency `json:"to"`
}

// Place locates a dispute: county (6-digit GB/T 2260), township/street
// (9-digit), village/community (12-digit) and grid. Street addresses stay in
// the intake store; they are never published.
type Place struct {
	CountyCode   string `json:"county_code"`
	TownshipCode string `json:"township_code,omitempty"`
	VillageCode  string `json:"village_code,omitempty"`
	Grid         string `json:"grid,omitempty"`
}

// PartyRole is a party's role in a dispute.
type PartyRole string

// Party roles.
const (
	PartyApplicant      PartyRole = "applicant"
	PartyRespondent     PartyRole = "respondent"
	PartyThird          PartyRole = "third_party"
	PartyRepresentative PartyRole = "representative"
)

// PartySummary is what an event may say about a party: the role and a masked
// name. ID and phone numbers never leave the intake store.
type PartySummary struct {
	Role       PartyRole `json:"role"`
	MaskedName string    `json:"masked_name"`
}

// RiskLevel grades a dispute (Qingdao: high / medium / low).
type RiskLevel string

// Risk levels.
const (
	RiskHigh   RiskLevel = "high"
	RiskMedium RiskLevel = "medium"
	RiskLow    RiskLevel = "low"
)

// MoreUrgentThan reports whether r is more urgent than other; an unknown
// level counts as the most urgent, so a risk nobody recognises is never
// handled late.
func (r RiskLevel) MoreUrgentThan(other RiskLevel) bool { return r.urgency() > other.urgency() }

func (r RiskLevel) urgency() int {
	switch r {
	case RiskLow:
		return 1
	case RiskMedium:
		return 2
	}
	return 3
}
