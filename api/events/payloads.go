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
// recorded a dispute (DOMAIN.md, step 1).
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
	Summary      string         `json:"summary"`
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
// county's copy topic. It carries only what that recipient needs: the
// committee copy carries no parties at all.
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
	Summary   string         `json:"summary"`
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

// Agreement is the settled mediation agreement (调解协议), as published.
type Agreement struct {
	Summary string   `json:"summary"`
	Terms   []string `json:"terms"`
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
}

// EventType implements Payload.
func (RevisitCompleted) EventType() string { return TypeRevisitCompleted }
