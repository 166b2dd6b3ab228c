// Package revisit holds the revisit rules: every settled dispute is
// revisited ("一事一回访"), the first time within the county's deadline
// (Qingdao: within two weeks of settlement), on a channel chosen by
// risk, with extra revisits for rebound-prone categories (Linxia); a
// rebound reopens the case, a revisit past due or unreachable is escalated
// to the committee. Plain Go, no I/O; time is always an input.
package revisit

import (
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
)

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
	ID          string
	DisputeID   string
	CountyCode  string
	Round       int
	Kind        events.RevisitKind
	Category    events.Category
	RiskLevel   events.RiskLevel
	Revisitor   events.Agency // the jurisdiction that follows up
	Officer     string
	SettledBy   events.Agency
	Police      events.Agency // the station that keeps the police copy
	Channel     events.RevisitChannel
	Status      Status
	SettledAt   time.Time
	ScheduledAt time.Time
	DueBy       time.Time
	// Follows is the revisit of the previous round whose rebound reopened
	// the dispute: the two rounds stay linked (二次处置).
	Follows      string
	Attempts     int
	MaxAttempts  int
	Escalated    events.RevisitEscalationReason
	EscalatedAt  *time.Time
	CompletedAt  *time.Time
	Outcome      events.RevisitOutcome
	Satisfaction events.Satisfaction
	Note         string
	CompletedBy  string
}

// RevisitID names the first revisit of a round; the e2e tests and the
// README rely on "<dispute>.r<round>.v1".
func RevisitID(disputeID string, round int) string { return NthID(disputeID, round, 1) }

// NthID names the n-th planned revisit of a round (v1 first, v2… extras).
func NthID(disputeID string, round, n int) string {
	return fmt.Sprintf("%s.r%d.v%d", disputeID, round, n)
}

// FollowUpID names the follow-up of a partially settled revisit.
func FollowUpID(revisitID string) string { return revisitID + ".f" }

// UnscheduledID names an unscheduled revisit asked for at.
func UnscheduledID(disputeID string, round int, at time.Time) string {
	return fmt.Sprintf("%s.r%d.u%d", disputeID, round, at.Unix())
}

// Settlement is what a revisit is scheduled from.
type Settlement struct {
	DisputeID, CountyCode string
	Round                 int
	Category              events.Category
	RiskLevel             events.RiskLevel
	Room, Jurisdiction    events.Agency
	SettledAt             time.Time
}

// Planned is one revisit a settlement calls for.
type Planned struct {
	ID    string
	Kind  events.RevisitKind
	DueBy time.Time
}

// Plan lists the revisits a settlement calls for under rules: the first,
// due Deadline after settlement, then one per extra revisit of a
// rebound-prone category, each Interval after the one before.
func Plan(s Settlement, rules Rules) []Planned {
	first := s.SettledAt.UTC().Add(rules.Deadline)
	out := []Planned{{ID: RevisitID(s.DisputeID, s.Round), Kind: events.RevisitFirst, DueBy: first}}
	extra := rules.Extra[s.Category]
	for i := 1; i <= extra.Count; i++ {
		out = append(out, Planned{ID: NthID(s.DisputeID, s.Round, 1+i), Kind: events.RevisitExtra,
			DueBy: first.Add(time.Duration(i) * extra.Interval)})
	}
	return out
}

// ErrScheduled is returned when a revisit is scheduled twice.
var ErrScheduled = errors.New("the revisit is already scheduled")

// FollowedBy records the police station that keeps the police copy of the
// round's slip: a rebound goes back to it. The slip and the settlement come
// from different topics, so either may arrive first.
func (r *Revisit) FollowedBy(disputeID, county string, round int, police events.Agency) {
	r.ensure(RevisitID(disputeID, round), disputeID, county, round)
	r.Police = police
}

// Schedule schedules revisit p of settlement s under rules.
func (r *Revisit) Schedule(s Settlement, p Planned, rules Rules, now time.Time) error {
	if r.Status == StatusScheduled || r.Status == StatusCompleted {
		return ErrScheduled
	}
	r.ensure(p.ID, s.DisputeID, s.CountyCode, s.Round)
	r.Kind, r.Category, r.RiskLevel, r.Revisitor, r.SettledBy = p.Kind, s.Category, s.RiskLevel, s.Jurisdiction, s.Room
	r.Channel, r.Status, r.ScheduledAt = rules.ChannelFor(s.RiskLevel), StatusScheduled, now.UTC()
	r.SettledAt, r.DueBy, r.MaxAttempts = s.SettledAt.UTC(), p.DueBy.UTC(), rules.MaxAttempts
	if s.Round > 1 && p.Kind == events.RevisitFirst {
		r.Follows = RevisitID(s.DisputeID, s.Round-1)
	}
	return nil
}

// Another schedules a revisit like from (its settlement, parties and
// station), of kind, due at due: an unscheduled revisit or a follow-up.
func (r *Revisit) Another(from Revisit, id string, kind events.RevisitKind, due time.Time, rules Rules, now time.Time) error {
	if r.Status != "" {
		return ErrScheduled
	}
	s := Settlement{DisputeID: from.DisputeID, CountyCode: from.CountyCode, Round: from.Round, Category: from.Category,
		RiskLevel: from.RiskLevel, Room: from.SettledBy, Jurisdiction: from.Revisitor, SettledAt: from.SettledAt}
	if err := r.Schedule(s, Planned{ID: id, Kind: kind, DueBy: due}, rules, now); err != nil {
		return err
	}
	r.Police, r.Officer = from.Police, from.Officer
	return nil
}

// LearnStation gives the revisit the police station following its round,
// unless it already knows one: the first station learnt stays. It reports
// whether the revisit changed.
func (r *Revisit) LearnStation(police events.Agency) bool {
	if r.Police.ID != "" || r.Police == police {
		return false
	}
	r.Police = police
	return true
}

func (r *Revisit) ensure(id, disputeID, county string, round int) {
	if r.ID == "" {
		r.ID, r.DisputeID, r.CountyCode, r.Round = id, disputeID, county, round
		r.Status = StatusAwaiting
	}
}

// Scheduled is the handoff from the room to the revisiting jurisdiction.
func (r Revisit) Scheduled() events.RevisitScheduled {
	return events.RevisitScheduled{
		Subject: r.subject(), Handoff: events.Handoff{From: r.SettledBy, To: r.Revisitor},
		RevisitID: r.ID, Round: r.Round, Channel: r.Channel, DueBy: r.DueBy, ScheduledAt: r.ScheduledAt,
		Kind: r.Kind, Follows: r.Follows,
	}
}

func (r Revisit) subject() events.Subject {
	return events.Subject{DisputeID: r.DisputeID, CountyCode: r.CountyCode}
}

// Overdue reports whether the revisit is still owed after its due date.
func (r Revisit) Overdue(now time.Time) bool {
	return r.Status == StatusScheduled && now.After(r.DueBy)
}
