package events

import "time"

// The mediation room's events beyond opened / resolved / failed:
// matching, sessions, tiers, joint meetings, hand-offs and the performance of
// agreements. Every one names the agencies it is from and to.

// TeamMember is one mediator on a case, by pseudonymous ID and role: no
// names leave the mediation store.
type TeamMember struct {
	MediatorID string `json:"mediator_id"`
	Role       string `json:"role"`   // a policy.MediatorRole, e.g. police_officer, lawyer
	Agency     string `json:"agency"` // the mediator's unit ID
}

// MediatorsAssigned: the room matched a team to the case ("点单式"), or
// changed it — a party's objection, a preferred mediator, a new tier.
type MediatorsAssigned struct {
	Subject
	Handoff
	MediationID string       `json:"mediation_id"`
	Round       int          `json:"round"`
	Tier        int          `json:"tier"`
	Team        []TeamMember `json:"team"`
	Reason      string       `json:"reason"`
	AssignedAt  time.Time    `json:"assigned_at"`
}

// EventType implements Payload.
func (MediatorsAssigned) EventType() string { return TypeMediatorsAssigned }

// MediationSessionScheduled: a session was set for a room, a time and a team.
// Joint marks a 三所联调 session (police, judicial office and lawyer).
type MediationSessionScheduled struct {
	Subject
	Handoff
	MediationID  string       `json:"mediation_id"`
	Round        int          `json:"round"`
	Session      int          `json:"session"`
	Tier         int          `json:"tier"`
	Joint        bool         `json:"joint"`
	Participants []TeamMember `json:"participants"`
	StartsAt     time.Time    `json:"starts_at"`
	ScheduledAt  time.Time    `json:"scheduled_at"`
}

// EventType implements Payload.
func (MediationSessionScheduled) EventType() string { return TypeMediationSessionScheduled }

// MediationSessionRecorded: a session's record was filed. The record itself
// (focus, positions, opinions) stays in the mediation store; the event
// carries its result only.
type MediationSessionRecorded struct {
	Subject
	Handoff
	MediationID     string    `json:"mediation_id"`
	Round           int       `json:"round"`
	Session         int       `json:"session"`
	Tier            int       `json:"tier"`
	Result          string    `json:"result"` // agreed | partial | failed | continue
	HasLegalOpinion bool      `json:"has_legal_opinion"`
	RecordedAt      time.Time `json:"recorded_at"`
}

// EventType implements Payload.
func (MediationSessionRecorded) EventType() string { return TypeMediationSessionRecorded }

// MediationEscalated: the dispute moved one tier up (3 → 2 → 1), from one
// room to the next, because sessions failed or a deadline passed.
// FirstResponsible is the unit that keeps the case to its end (首问负责).
type MediationEscalated struct {
	Subject
	Handoff
	MediationID      string    `json:"mediation_id"`
	Round            int       `json:"round"`
	FromTier         int       `json:"from_tier"`
	ToTier           int       `json:"to_tier"`
	Trigger          string    `json:"trigger"` // failed_sessions | deadline
	Reason           string    `json:"reason"`
	FirstResponsible Agency    `json:"first_responsible"`
	EscalatedAt      time.Time `json:"escalated_at"`
}

// EventType implements Payload.
func (MediationEscalated) EventType() string { return TypeMediationEscalated }

// JointMeetingConvened: the police blew the whistle and the committee
// convened a joint meeting (联席会议, "公安吹哨、部门到位") of the named agencies.
type JointMeetingConvened struct {
	Subject
	Handoff
	MediationID string   `json:"mediation_id"`
	Round       int      `json:"round"`
	MeetingID   string   `json:"meeting_id"`
	Triggers    []string `json:"triggers"`
	Agencies    []Agency `json:"agencies"`
	// Departments are the government departments called in (labour
	// inspection, housing…), by ID: they are outside the closed loop's
	// agency kinds.
	Departments []string  `json:"departments,omitempty"`
	ConvenedAt  time.Time `json:"convened_at"`
}

// EventType implements Payload.
func (JointMeetingConvened) EventType() string { return TypeJointMeetingConvened }

// JointMeetingDecision is one decision of a joint meeting and the agency or
// department (by ID) that owns it.
type JointMeetingDecision struct {
	Decision string    `json:"decision"`
	Owner    string    `json:"owner"`
	DueBy    time.Time `json:"due_by"`
}

// JointMeetingConcluded: the joint meeting recorded its decisions and owners.
type JointMeetingConcluded struct {
	Subject
	Handoff
	MediationID string                 `json:"mediation_id"`
	Round       int                    `json:"round"`
	MeetingID   string                 `json:"meeting_id"`
	Decisions   []JointMeetingDecision `json:"decisions"`
	ConcludedAt time.Time              `json:"concluded_at"`
}

// EventType implements Payload.
func (JointMeetingConcluded) EventType() string { return TypeJointMeetingConcluded }

// Routes of MediationHandedOff.
const (
	RouteJudicialConfirmation = "judicial_confirmation" // 司法确认, to the court
	RouteLitigation           = "litigation"            // 诉讼, to the court
	RouteLegalAid             = "legal_aid"             // 法律援助, to the judicial office
	RoutePunishment           = "punishment_procedure"  // 治安处罚程序, to the police station
)

// How a hand-off counts in the resolution rate.
const (
	CountsResolved    = "resolved"
	CountsFailed      = "failed"
	CountsNotMediated = "not_mediated" // out of the rate altogether: never "lost"
	// CountsUnchanged: the hand-off runs beside the mediation (legal aid
	// while the parties keep talking); the case counts by its outcome.
	CountsUnchanged = "unchanged"
)

// MediationHandedOff: the room handed the case to another agency on its way
// out: the court for judicial confirmation or litigation, the judicial office
// for legal aid, the police station for the punishment procedure when the
// parties to a fight refuse mediation. CountsAs tells supervision how it
// counts in the resolution rate.
type MediationHandedOff struct {
	Subject
	Handoff
	MediationID string    `json:"mediation_id"`
	Round       int       `json:"round"`
	Route       string    `json:"route"`
	CountsAs    string    `json:"counts_as"`
	Reason      string    `json:"reason"`
	HandedOffAt time.Time `json:"handed_off_at"`
}

// EventType implements Payload.
func (MediationHandedOff) EventType() string { return TypeMediationHandedOff }

// MediationPerformanceRecorded: one term of a settled agreement was performed
// or missed (履约). A missed term reopens the case: Reopens is then true and
// To is the police station that owns the dispute (intake reopens it).
type MediationPerformanceRecorded struct {
	Subject
	Handoff
	MediationID string    `json:"mediation_id"`
	Round       int       `json:"round"`
	Term        int       `json:"term"` // 1-based index of the obligation
	Status      string    `json:"status"`
	DueBy       time.Time `json:"due_by"`
	Reopens     bool      `json:"reopens"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// EventType implements Payload.
func (MediationPerformanceRecorded) EventType() string { return TypeMediationPerformanceRecorded }

// Statuses of MediationPerformanceRecorded.
const (
	PerformancePerformed = "performed"
	PerformanceMissed    = "missed"
)
