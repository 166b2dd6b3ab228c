// Package revisit holds the revisit rules: every settled dispute is
// revisited ("一事一回访"), the first time within the deadline (Qingdao: within
// two weeks of settlement, seed 004), on a channel chosen by risk; a rebound
// reopens the case. Plain Go, no I/O. Issue 7 adds extra revisits for
// rebound-prone categories and policy from the county's MediationCenter.
package revisit

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// DefaultDeadline is the time from settlement to the first revisit's due date.
const DefaultDeadline = 14 * 24 * time.Hour

// Status of a revisit.
type Status string

// Statuses.
const (
	// StatusAwaiting: the slip is known (so is the police station that
	// follows the case) but the mediation has not settled yet.
	StatusAwaiting  Status = "awaiting_settlement"
	StatusScheduled Status = "scheduled"
	StatusCompleted Status = "completed"
)

// Revisit is one revisit of one settled round of a dispute.
type Revisit struct {
	ID          string                `bson:"id" json:"id"`
	DisputeID   string                `bson:"dispute_id" json:"dispute_id"`
	CountyCode  string                `bson:"county_code" json:"county_code"`
	Round       int                   `bson:"round" json:"round"`
	Category    events.Category       `bson:"category" json:"category"`
	RiskLevel   events.RiskLevel      `bson:"risk_level" json:"risk_level"`
	Revisitor   events.Agency         `bson:"revisitor" json:"revisitor"` // the jurisdiction that follows up
	SettledBy   events.Agency         `bson:"settled_by" json:"settled_by"`
	Police      events.Agency         `bson:"police" json:"police"` // the station that keeps the police copy
	Channel     events.RevisitChannel `bson:"channel" json:"channel"`
	Status      Status                `bson:"status" json:"status"`
	ScheduledAt time.Time             `bson:"scheduled_at" json:"scheduled_at"`
	DueBy       time.Time             `bson:"due_by" json:"due_by"`
	CompletedAt *time.Time            `bson:"completed_at,omitempty" json:"completed_at,omitempty"`
	Outcome     events.RevisitOutcome `bson:"outcome,omitempty" json:"outcome,omitempty"`
	Note        string                `bson:"note,omitempty" json:"note,omitempty"`
	CompletedBy string                `bson:"completed_by,omitempty" json:"completed_by,omitempty"`
}

// RevisitID names the first revisit of a round.
func RevisitID(disputeID string, round int) string { return fmt.Sprintf("%s.r%d.v1", disputeID, round) }

// Settlement is what a revisit is scheduled from.
type Settlement struct {
	DisputeID, CountyCode string
	Round                 int
	Category              events.Category
	RiskLevel             events.RiskLevel
	Room, Jurisdiction    events.Agency
	SettledAt             time.Time
}

// ChannelFor picks the revisit channel by risk: a high-risk dispute is
// revisited at home, others by phone.
func ChannelFor(r events.RiskLevel) events.RevisitChannel {
	if r == events.RiskHigh {
		return events.RevisitHomeVisit
	}
	return events.RevisitPhone
}

// ErrScheduled is returned when a round's settlement arrives twice.
var ErrScheduled = errors.New("the revisit of this round is already scheduled")

// FollowedBy records the police station that keeps the police copy of the
// round's slip: a rebound goes back to it. The slip and the settlement come
// from different topics, so either may arrive first.
func (r *Revisit) FollowedBy(disputeID, county string, round int, police events.Agency) {
	r.ensure(disputeID, county, round)
	r.Police = police
}

// Schedule schedules the revisit of a settlement, due DefaultDeadline after
// the settlement.
func (r *Revisit) Schedule(s Settlement, now time.Time) error {
	if r.Status == StatusScheduled || r.Status == StatusCompleted {
		return ErrScheduled
	}
	r.ensure(s.DisputeID, s.CountyCode, s.Round)
	r.Category, r.RiskLevel, r.Revisitor, r.SettledBy = s.Category, s.RiskLevel, s.Jurisdiction, s.Room
	r.Channel, r.Status, r.ScheduledAt = ChannelFor(s.RiskLevel), StatusScheduled, now.UTC()
	r.DueBy = s.SettledAt.UTC().Add(DefaultDeadline)
	return nil
}

func (r *Revisit) ensure(disputeID, county string, round int) {
	if r.ID == "" {
		r.ID, r.DisputeID, r.CountyCode, r.Round = RevisitID(disputeID, round), disputeID, county, round
		r.Status = StatusAwaiting
	}
}

// Scheduled is the handoff from the room to the revisiting jurisdiction.
func (r Revisit) Scheduled() events.RevisitScheduled {
	return events.RevisitScheduled{
		Subject: r.subject(), Handoff: events.Handoff{From: r.SettledBy, To: r.Revisitor},
		RevisitID: r.ID, Round: r.Round, Channel: r.Channel, DueBy: r.DueBy, ScheduledAt: r.ScheduledAt,
	}
}

func (r Revisit) subject() events.Subject {
	return events.Subject{DisputeID: r.DisputeID, CountyCode: r.CountyCode}
}

// Result is what the revisiting officer records.
type Result struct {
	Outcome events.RevisitOutcome `json:"outcome"`
	Note    string                `json:"note,omitempty"`
}

// FieldError names the result field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

// ErrCompleted is returned when a revisit is recorded twice.
var ErrCompleted = errors.New("the revisit has already been recorded")

// ErrNotSettled is returned when a revisit is recorded before its settlement.
var ErrNotSettled = errors.New("the dispute has not been settled yet")

// Validate checks a result: stable or rebound, and a rebound says what
// came back, since the next round starts from it.
func (r Result) Validate() error {
	switch r.Outcome {
	case events.RevisitStable:
	case events.RevisitRebound:
		if strings.TrimSpace(r.Note) == "" {
			return FieldError{"#/note", "a rebound needs a note saying what came back"}
		}
	default:
		return FieldError{"#/outcome", "must be stable or rebound"}
	}
	if len([]rune(r.Note)) > 1000 {
		return FieldError{"#/note", "must be at most 1000 characters"}
	}
	return nil
}

// committee is the county's political-legal committee, to which a stable
// revisit closes the loop.
func committee(county string) events.Agency {
	return events.Agency{Kind: events.AgencyCommittee, ID: "plc-" + county}
}

// Complete records the result. Stable closes the loop (a handoff to the
// committee that supervises it); a rebound hands the dispute back to the
// police, whose intake reopens it.
func (r *Revisit) Complete(res Result, by string, now time.Time) (events.RevisitCompleted, error) {
	if err := res.Validate(); err != nil {
		return events.RevisitCompleted{}, err
	}
	switch r.Status {
	case StatusCompleted:
		return events.RevisitCompleted{}, ErrCompleted
	case StatusAwaiting:
		return events.RevisitCompleted{}, ErrNotSettled
	}
	at := now.UTC()
	r.Status, r.CompletedAt, r.Outcome, r.Note, r.CompletedBy = StatusCompleted, &at, res.Outcome, strings.TrimSpace(res.Note), by
	to := committee(r.CountyCode)
	if res.Outcome == events.RevisitRebound && r.Police.ID != "" {
		to = r.Police
	}
	return events.RevisitCompleted{
		Subject: r.subject(), Handoff: events.Handoff{From: r.Revisitor, To: to},
		RevisitID: r.ID, Round: r.Round, Outcome: res.Outcome, Note: r.Note, CompletedAt: at,
	}, nil
}
