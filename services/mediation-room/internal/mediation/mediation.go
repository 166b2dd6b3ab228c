// Package mediation holds the mediation room's aggregate: one mediation of
// one round of a dispute, from the referral to its end — the team matched to
// it, its sessions and their records, its way up the tiers, the joint
// meeting, the outcome and the performance of the agreement
// (docs/domain.md, section 4). Plain Go, no I/O: the county policy arrives as a
// Context the use case builds, and time is an input.
package mediation

import (
	"fmt"
	"time"

	"fengqiao.dev/api/events"
	"fengqiao.dev/api/policy"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/roster"
)

// Status of a mediation.
type Status string

// Statuses. Referred: handed to litigation or legal aid (counts as failed).
// NotMediated: the parties to a fight refused mediation and the case went to
// the punishment procedure — out of the resolution rate, never "lost".
const (
	StatusOpen        Status = "open"
	StatusResolved    Status = "resolved"
	StatusFailed      Status = "failed"
	StatusReferred    Status = "referred"
	StatusNotMediated Status = "not_mediated"
)

// Mediation is one mediation of one round of a dispute. It keeps its ID
// ("<dispute>.r<round>.m1") as it moves up the tiers.
type Mediation struct {
	ID           string
	DisputeID    string
	CountyCode   string
	CaseCode     string
	Round        int
	Tier         int
	Category     events.Category
	RiskLevel    events.RiskLevel
	Township     string
	Jurisdiction events.Agency // who handed it over and owns the revisit
	// FirstResponsible is the unit that took the case first and follows it
	// to its end, whatever room it moves to (首问负责).
	FirstResponsible events.Agency
	// Station is the police station that referred it and owns the dispute.
	Station  events.Agency
	Room     events.Agency
	RoomKind roster.RoomKind
	Status   Status
	OpenedAt time.Time
	// TierSince is when the mediation reached its current tier: the clock
	// of the tier's deadline.
	TierSince time.Time

	Team         []Member
	TeamGaps     []string
	Objections   []Objection
	Preferred    []string
	Sessions     []Session
	Escalations  []Escalation
	Agencies     []string // outside departments involved
	JointMeeting *JointMeeting

	ClosedAt    *time.Time
	Agreement   *events.Agreement // as published
	Settlement  *agreement.Agreement
	Performance *agreement.Performance
	Breached    bool // a missed term reopened the case
	HandedOff   []HandOff
	FailReason  string
	ClosedBy    string
}

// MediationID names the first mediation of a round.
func MediationID(disputeID string, round int) string {
	return fmt.Sprintf("%s.r%d.m1", disputeID, round)
}

// Referral is what a mediation is opened from.
type Referral struct {
	DisputeID, CountyCode, CaseCode string
	Round                           int
	Category                        events.Category
	RiskLevel                       events.RiskLevel
	Place                           events.Place
	Jurisdiction                    events.Agency
	Station                         events.Agency
}

// RaisedTo is the referral at risk level to when that is more urgent than
// the risk it was issued at: a risk raised before the mediation opened
// never lowers it.
func (r Referral) RaisedTo(to events.RiskLevel) Referral {
	if to.MoreUrgentThan(r.RiskLevel) {
		r.RiskLevel = to
	}
	return r
}

// StartTier is the MediationCenter's default start (api/policy), Pingdu's:
// tier 3 village peacemakers for low risk, tier 2 the station's committee
// for medium, tier 1 the street centre for cases likely to turn criminal.
// The county policy may say otherwise (tiers.StartTier).
func StartTier(r events.RiskLevel) int {
	return int(policy.DefaultEscalation().For(policy.RiskLevel(r)).StartTier)
}

// Open opens the mediation of a referral at tier, in room, with the team
// matching found; the jurisdiction that referred it is its first
// responsible unit to the end.
func Open(r Referral, tier policy.Tier, room roster.Room, team []Member, gaps []string, now time.Time) Mediation {
	return Mediation{
		ID: MediationID(r.DisputeID, r.Round), DisputeID: r.DisputeID, CountyCode: r.CountyCode,
		CaseCode: r.CaseCode, Round: r.Round, Tier: int(tier), Category: r.Category, RiskLevel: r.RiskLevel,
		Township: r.Place.TownshipCode, Jurisdiction: r.Jurisdiction, FirstResponsible: r.Jurisdiction, Station: r.Station,
		Room: roomAgency(room), RoomKind: room.Kind, Status: StatusOpen, OpenedAt: now.UTC(), TierSince: now.UTC(),
		Team: team, TeamGaps: gaps,
	}
}

func roomAgency(r roster.Room) events.Agency {
	return events.Agency{Kind: events.AgencyMediationRoom, ID: r.ID, Name: r.Name}
}

// Opened is the handoff from the jurisdiction to the room.
func (m Mediation) Opened() events.MediationOpened {
	return events.MediationOpened{
		Subject: m.subject(), Handoff: events.Handoff{From: m.Jurisdiction, To: m.Room},
		MediationID: m.ID, Round: m.Round, Tier: m.Tier, Category: m.Category, RiskLevel: m.RiskLevel, OpenedAt: m.OpenedAt,
	}
}

func (m Mediation) subject() events.Subject {
	return events.Subject{DisputeID: m.DisputeID, CountyCode: m.CountyCode}
}

// IsOpen reports whether the mediation is still under way.
func (m Mediation) IsOpen() bool { return m.Status == StatusOpen }
