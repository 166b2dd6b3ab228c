package events

import "time"

// Subject identifies the dispute and county an event is about. Every payload
// embeds it; its fields are flattened into the JSON object.
type Subject struct {
	DisputeID  string `json:"dispute_id"`
	CountyCode string `json:"county_code"`
}

// DisputeKey implements Payload.
func (s Subject) DisputeKey() string { return s.DisputeID }

// County implements Payload.
func (s Subject) County() string { return s.CountyCode }

// DisputeRegistered: a police station (or another channel through it) has
// recorded a dispute (docs/domain.md, step 1). It carries no free text: the
// summary and narrative stay sealed in intake, read through its API by the
// roles that act on the dispute (docs/privacy.md).
type DisputeRegistered struct {
	Subject
	Handoff
	CaseCode     string         `json:"case_code"`
	Round        int            `json:"round"`
	Channel      Channel        `json:"channel"`
	ExternalRef  string         `json:"external_ref,omitempty"`
	Place        Place          `json:"place"`
	Category     Category       `json:"category"`
	RiskLevel    RiskLevel      `json:"risk_level"`
	RiskReasons  []string       `json:"risk_reasons,omitempty"`
	Parties      []PartySummary `json:"parties"`
	GroupSize    int            `json:"group_size"`
	RegisteredAt time.Time      `json:"registered_at"`
}

// EventType implements Payload.
func (DisputeRegistered) EventType() string { return TypeDisputeRegistered }

// DisputeReopened: a settled dispute came back (a rebound at revisit) and
// starts a new round of handling (二次处置).
type DisputeReopened struct {
	Subject
	Handoff
	CaseCode   string    `json:"case_code"`
	Round      int       `json:"round"`
	Reason     string    `json:"reason"`
	CausedBy   string    `json:"caused_by"` // the event or record that reopened it
	Category   Category  `json:"category"`
	RiskLevel  RiskLevel `json:"risk_level"`
	Place      Place     `json:"place"`
	ReopenedAt time.Time `json:"reopened_at"`
}

// EventType implements Payload.
func (DisputeReopened) EventType() string { return TypeDisputeReopened }

// DisputeReportLinked: a new report about the same parties (keyed hash of an
// ID or phone number), the same address or the same external reference was
// linked to an open or recent dispute instead of opening a new one.
// From is the station that took the report, To the dispute's station.
type DisputeReportLinked struct {
	Subject
	Handoff
	CaseCode    string    `json:"case_code"`
	Round       int       `json:"round"`
	Channel     Channel   `json:"channel"`
	ExternalRef string    `json:"external_ref,omitempty"`
	MatchedOn   []string  `json:"matched_on"`   // party, address, external_ref
	ReportCount int       `json:"report_count"` // reports within the window, the first included
	LinkedAt    time.Time `json:"linked_at"`
}

// EventType implements Payload.
func (DisputeReportLinked) EventType() string { return TypeDisputeReportLinked }

// DisputeSecondHandling: reports about one dispute reached the county's
// threshold (e.g. 2 in 30 days) and it goes to second handling (二次处置):
// its risk is raised, the station head alerted (To) and the community
// officer assigned.
type DisputeSecondHandling struct {
	Subject
	Handoff
	CaseCode         string    `json:"case_code"`
	Round            int       `json:"round"`
	ReportCount      int       `json:"report_count"`
	Threshold        int       `json:"threshold"`
	WindowDays       int       `json:"window_days"`
	PreviousRisk     RiskLevel `json:"previous_risk"`
	RiskLevel        RiskLevel `json:"risk_level"`
	Reason           string    `json:"reason"`
	CommunityOfficer string    `json:"community_officer,omitempty"` // officer ID, never a name
	// StaffingGap says why the assignee is not the recording station's
	// community officer (none on the county's roster): the committee sees
	// it on the timeline.
	StaffingGap string    `json:"staffing_gap,omitempty"`
	TriggeredAt time.Time `json:"triggered_at"`
}

// EventType implements Payload.
func (DisputeSecondHandling) EventType() string { return TypeDisputeSecondHandling }

// DisputeRiskRegraded: a dispute's risk level changed, on a new fact (cause
// "new_fact") or by an officer's override with its mandatory reason (cause
// "override"); the computed grade is kept beside the override.
// From and To are the dispute's station.
type DisputeRiskRegraded struct {
	Subject
	Handoff
	CaseCode       string    `json:"case_code"`
	Round          int       `json:"round"`
	Cause          string    `json:"cause"`
	PreviousRisk   RiskLevel `json:"previous_risk"`
	RiskLevel      RiskLevel `json:"risk_level"`
	ComputedRisk   RiskLevel `json:"computed_risk"`
	RiskReasons    []string  `json:"risk_reasons"`
	OverrideReason string    `json:"override_reason,omitempty"`
	OverriddenBy   string    `json:"overridden_by,omitempty"` // officer ID, never a name
	RegradedAt     time.Time `json:"regraded_at"`
}

// EventType implements Payload.
func (DisputeRiskRegraded) EventType() string { return TypeDisputeRiskRegraded }

// DisputeRedirected: what was reported is a crime or needs case handling, so
// it was recorded but not mediated, and redirected with the reason (ineligible
// for mediation). No slip is issued for it. From and To are the recording
// station.
type DisputeRedirected struct {
	Subject
	Handoff
	CaseCode     string    `json:"case_code"`
	Channel      Channel   `json:"channel"`
	ExternalRef  string    `json:"external_ref,omitempty"`
	Place        Place     `json:"place"`
	Category     Category  `json:"category"`
	RedirectedTo string    `json:"redirected_to"` // criminal_case, public_security_case, litigation, petition
	Reason       string    `json:"reason"`
	RedirectedAt time.Time `json:"redirected_at"`
}

// EventType implements Payload.
func (DisputeRedirected) EventType() string { return TypeDisputeRedirected }

// SlipCopy is one copy of a referral slip as recorded on the slip itself.
type SlipCopy struct {
	Copy      Copy      `json:"copy"`
	Recipient Agency    `json:"recipient"`
	Topic     string    `json:"topic"`
	AcceptBy  time.Time `json:"accept_by"`
}

// ReferralIssued: the police station issued the triplicate slip (三联单) and
// handed the dispute to the responsible jurisdiction (谁主管谁负责).
type ReferralIssued struct {
	Subject
	Handoff
	SlipID    string     `json:"slip_id"`
	CaseCode  string     `json:"case_code"`
	Round     int        `json:"round"`
	Category  Category   `json:"category"`
	RiskLevel RiskLevel  `json:"risk_level"`
	Place     Place      `json:"place"`
	Copies    []SlipCopy `json:"copies"`
	IssuedAt  time.Time  `json:"issued_at"`
}

// EventType implements Payload.
func (ReferralIssued) EventType() string { return TypeReferralIssued }

// ReferralCopyIssued is one copy of a slip as its recipient receives it on the
// county's copy topic. It carries only what that recipient needs
// (docs/privacy.md has the table): no copy carries free text or names; only
// the jurisdiction copy, whose unit mediates, carries the parties, by role
// and label. The text is read through intake's API by the dispute's ID.
type ReferralCopyIssued struct {
	Subject
	Handoff
	SlipID    string         `json:"slip_id"`
	CaseCode  string         `json:"case_code"`
	Round     int            `json:"round"`
	Copy      Copy           `json:"copy"`
	Category  Category       `json:"category"`
	RiskLevel RiskLevel      `json:"risk_level"`
	Place     Place          `json:"place"`
	Parties   []PartySummary `json:"parties,omitempty"`
	AcceptBy  time.Time      `json:"accept_by"`
	IssuedAt  time.Time      `json:"issued_at"`
}

// EventType implements Payload.
func (ReferralCopyIssued) EventType() string { return TypeReferralCopyIssued }

// ReferralCopyAccepted: a copy's recipient signed for it (签收), on its own
// clock. From is the issuing police station, To the recipient.
type ReferralCopyAccepted struct {
	Subject
	Handoff
	SlipID            string    `json:"slip_id"`
	Round             int       `json:"round"`
	Copy              Copy      `json:"copy"`
	AcceptedBy        string    `json:"accepted_by"` // officer or staff ID, never a name
	AcceptedAt        time.Time `json:"accepted_at"`
	TimeToSignSeconds int64     `json:"time_to_sign_seconds"`
	Late              bool      `json:"late"`
}

// EventType implements Payload.
func (ReferralCopyAccepted) EventType() string { return TypeReferralCopyAccepted }

// ReferralCopyDeadlineWarning: a copy is still unsigned when a share of its
// acceptance time has passed (by default at 50% and 75%). From is the
// issuing police station, To the recipient that has yet to sign.
type ReferralCopyDeadlineWarning struct {
	Subject
	Handoff
	SlipID         string    `json:"slip_id"`
	Round          int       `json:"round"`
	Copy           Copy      `json:"copy"`
	Level          string    `json:"level"` // the escalation level the copy is at
	Percent        int       `json:"percent"`
	ElapsedSeconds int64     `json:"elapsed_seconds"`
	AcceptBy       time.Time `json:"accept_by"`
	Reason         string    `json:"reason"`
	WarnedAt       time.Time `json:"warned_at"`
}

// EventType implements Payload.
func (ReferralCopyDeadlineWarning) EventType() string { return TypeReferralCopyDeadlineWarning }

// ReferralCopyEscalated: a copy was not signed for by its deadline and went
// one level up the ladder village → station → street centre → county
// committee. From is the recipient that missed the deadline, To the
// agency the copy is escalated to; the recipient keeps the copy, on a new clock.
type ReferralCopyEscalated struct {
	Subject
	Handoff
	SlipID         string    `json:"slip_id"`
	Round          int       `json:"round"`
	Copy           Copy      `json:"copy"`
	FromLevel      string    `json:"from_level"`
	ToLevel        string    `json:"to_level"`
	Reason         string    `json:"reason"`
	ElapsedSeconds int64     `json:"elapsed_seconds"`
	MissedDeadline time.Time `json:"missed_deadline"`
	AcceptBy       time.Time `json:"accept_by"`
	EscalatedAt    time.Time `json:"escalated_at"`
}

// EventType implements Payload.
func (ReferralCopyEscalated) EventType() string { return TypeReferralCopyEscalated }

// ReferralCopyReturned: the recipient of the jurisdiction copy returned it
// (退单) with a reason, and it went to the next responsible unit; after the
// county's bound on returns, the county governance centre owns it (兜底,
// Backstop). From is the returning unit, To the new recipient.
type ReferralCopyReturned struct {
	Subject
	Handoff
	SlipID     string    `json:"slip_id"`
	Round      int       `json:"round"`
	Copy       Copy      `json:"copy"`
	ReturnedBy string    `json:"returned_by"` // staff ID, never a name
	Reason     string    `json:"reason"`
	Returns    int       `json:"returns"`
	MaxReturns int       `json:"max_returns"`
	Backstop   bool      `json:"backstop"`
	AcceptBy   time.Time `json:"accept_by"`
	ReturnedAt time.Time `json:"returned_at"`
}

// EventType implements Payload.
func (ReferralCopyReturned) EventType() string { return TypeReferralCopyReturned }

// ReferralTransferred: the sending county's committee or police station
// handed the round's slip to another county of the same province (parties
// in two counties, wages owed across a county line). The case keeps its
// case code; the receiving county holds it from now on and its three new
// copies went to its own copy topics. County (county_code) is the sending
// county, ToCountyCode the receiving one; From is the unit that sent it, To
// the receiving county's committee. Copies are the receiving county's.
type ReferralTransferred struct {
	Subject
	Handoff
	SlipID        string     `json:"slip_id"`
	CaseCode      string     `json:"case_code"`
	Round         int        `json:"round"`
	ToCountyCode  string     `json:"to_county_code"`
	Place         Place      `json:"place"`          // where the dispute is handled in the receiving county
	TransferredBy string     `json:"transferred_by"` // staff ID, never a name
	Reason        string     `json:"reason"`
	Copies        []SlipCopy `json:"copies"`
	TransferredAt time.Time  `json:"transferred_at"`
}

// EventType implements Payload.
func (ReferralTransferred) EventType() string { return TypeReferralTransferred }

// MediationOpened: the jurisdiction handed the dispute to a mediation room.
type MediationOpened struct {
	Subject
	Handoff
	MediationID string    `json:"mediation_id"`
	Round       int       `json:"round"`
	Tier        int       `json:"tier"` // 3 village, 2 station, 1 street/county centre
	Category    Category  `json:"category"`
	RiskLevel   RiskLevel `json:"risk_level"`
	OpenedAt    time.Time `json:"opened_at"`
}

// EventType implements Payload.
func (MediationOpened) EventType() string { return TypeMediationOpened }

// Agreement is what events say of a settled mediation agreement (调解协议):
// how many terms it has. Its text names people and sums, so it stays sealed
// in the mediation room, read through its API by the roles that need it.
type Agreement struct {
	TermCount int `json:"term_count"`
	// AmountFen is the sum of the agreement's money obligations (recovered
	// wages, compensation) in fen (分): a figure supervision sums per county,
	// category and month; who pays whom stays sealed with the room.
	AmountFen int64 `json:"amount_fen,omitempty"`
}

// MediationResolved: the room settled the dispute; the jurisdiction now owns
// the revisit.
type MediationResolved struct {
	Subject
	Handoff
	MediationID string    `json:"mediation_id"`
	Round       int       `json:"round"`
	Category    Category  `json:"category"`
	RiskLevel   RiskLevel `json:"risk_level"`
	Agreement   Agreement `json:"agreement"`
	ResolvedAt  time.Time `json:"resolved_at"`
}

// EventType implements Payload.
func (MediationResolved) EventType() string { return TypeMediationResolved }

// MediationFailed: the room could not settle the dispute; it goes back to the
// jurisdiction with the reason.
type MediationFailed struct {
	Subject
	Handoff
	MediationID string    `json:"mediation_id"`
	Round       int       `json:"round"`
	Reason      string    `json:"reason"`
	FailedAt    time.Time `json:"failed_at"`
}

// EventType implements Payload.
func (MediationFailed) EventType() string { return TypeMediationFailed }

// RevisitScheduled: a settled dispute got its revisit (一事一回访).
type RevisitScheduled struct {
	Subject
	Handoff
	RevisitID   string         `json:"revisit_id"`
	Round       int            `json:"round"`
	Channel     RevisitChannel `json:"channel"`
	DueBy       time.Time      `json:"due_by"`
	ScheduledAt time.Time      `json:"scheduled_at"`
	// Kind says why the revisit exists: the first of a
	// settlement, an extra one for a rebound-prone category, an
	// unscheduled one, or a follow-up of a partial settlement. Empty
	// means first (events written before revisits had a kind).
	Kind RevisitKind `json:"kind,omitempty"`
	// Follows links a later round's revisit to the revisit of the round
	// whose rebound reopened the dispute (二次处置 links both rounds).
	Follows string `json:"follows,omitempty"`
}

// EventType implements Payload.
func (RevisitScheduled) EventType() string { return TypeRevisitScheduled }

// RevisitCompleted: the revisit was made. Stable closes the loop (to the
// committee); a rebound hands the dispute back to the police station, which
// reopens it.
type RevisitCompleted struct {
	Subject
	Handoff
	RevisitID   string         `json:"revisit_id"`
	Round       int            `json:"round"`
	Outcome     RevisitOutcome `json:"outcome"`
	Note        string         `json:"note,omitempty"`
	CompletedAt time.Time      `json:"completed_at"`
	// Satisfaction is the parties' satisfaction, when they said.
	Satisfaction Satisfaction `json:"satisfaction,omitempty"`
	// Attempts counts the contacts made, unreachable ones included.
	Attempts int `json:"attempts,omitempty"`
}

// EventType implements Payload.
func (RevisitCompleted) EventType() string { return TypeRevisitCompleted }

// RevisitEscalated: a revisit went past its due date, or the parties could
// not be reached after the retries the policy allows; it goes to the
// committee, which supervises the jurisdiction that owes it.
type RevisitEscalated struct {
	Subject
	Handoff
	RevisitID   string                  `json:"revisit_id"`
	Round       int                     `json:"round"`
	Reason      RevisitEscalationReason `json:"reason"`
	Attempts    int                     `json:"attempts"`
	DueBy       time.Time               `json:"due_by"`
	EscalatedAt time.Time               `json:"escalated_at"`
}

// EventType implements Payload.
func (RevisitEscalated) EventType() string { return TypeRevisitEscalated }
