package revisit

import (
	"errors"
	"slices"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// Unreachable is the result recorded when nobody could be reached: not an
// outcome of the revisit, an attempt of it. After MaxAttempts the revisit
// is escalated.
const Unreachable = "unreachable"

// Result is what the revisiting officer records.
type Result struct {
	Outcome      string
	Note         string
	Satisfaction events.Satisfaction
}

// FieldError names the result field at fault.
type FieldError struct{ Pointer, Detail string }

func (e FieldError) Error() string { return e.Pointer + ": " + e.Detail }

// Errors of the revisit rules.
var (
	ErrCompleted  = errors.New("the revisit has already been recorded")
	ErrNotSettled = errors.New("the dispute has not been settled yet")
)

// Validate checks a result: a known outcome; a rebound or partial
// settlement says what is still wrong, since the next step starts from it.
func (r Result) Validate() error {
	switch events.RevisitOutcome(r.Outcome) {
	case events.RevisitStable:
	case events.RevisitRebound, events.RevisitPartial:
		if strings.TrimSpace(r.Note) == "" {
			return FieldError{"#/note", "a rebound or partial settlement needs a note saying what is still wrong"}
		}
	default:
		if r.Outcome != Unreachable {
			return FieldError{"#/outcome", "must be stable, partially_settled, rebound or unreachable"}
		}
	}
	if r.Satisfaction != "" && !slices.Contains(events.Satisfactions(), r.Satisfaction) {
		return FieldError{"#/satisfaction", "must be satisfied, basically_satisfied or dissatisfied"}
	}
	if len([]rune(r.Note)) > 1000 {
		return FieldError{"#/note", "must be at most 1000 characters"}
	}
	return nil
}

// Committee is the county's political-legal committee, to which a stable
// revisit closes the loop and an escalation goes.
func Committee(county string) events.Agency {
	return events.Agency{Kind: events.AgencyCommittee, ID: "plc-" + county}
}

func (r *Revisit) open() error {
	switch r.Status {
	case StatusCompleted:
		return ErrCompleted
	case StatusAwaiting, "":
		return ErrNotSettled
	}
	return nil
}

// Complete records a result that completes the revisit. Stable and partial
// settlement go to the committee that supervises the loop; a rebound hands
// the dispute back to the police, whose intake reopens it.
func (r *Revisit) Complete(res Result, by string, now time.Time) (events.RevisitCompleted, error) {
	if err := res.Validate(); err != nil {
		return events.RevisitCompleted{}, err
	}
	if err := r.open(); err != nil {
		return events.RevisitCompleted{}, err
	}
	at := now.UTC()
	r.Attempts++
	r.Status, r.CompletedAt, r.CompletedBy = StatusCompleted, &at, by
	r.Outcome, r.Note, r.Satisfaction = events.RevisitOutcome(res.Outcome), strings.TrimSpace(res.Note), res.Satisfaction
	to := Committee(r.CountyCode)
	if r.Outcome == events.RevisitRebound && r.Police.ID != "" {
		to = r.Police
	}
	return events.RevisitCompleted{
		Subject: r.subject(), Handoff: events.Handoff{From: r.Revisitor, To: to},
		RevisitID: r.ID, Round: r.Round, Outcome: r.Outcome, Note: r.Note, CompletedAt: at,
		Satisfaction: r.Satisfaction, Attempts: r.Attempts,
	}, nil
}

// NobodyReached records an unreachable attempt. The attempt that reaches
// MaxAttempts escalates the revisit (once); it stays owed either way.
func (r *Revisit) NobodyReached(now time.Time) (*events.RevisitEscalated, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	r.Attempts++
	if r.Attempts < max(r.MaxAttempts, 1) || r.Escalated == events.RevisitUnreachable {
		return nil, nil
	}
	return r.escalate(events.RevisitUnreachable, now), nil
}

// EscalateIfOverdue escalates a revisit still owed after its due date, once.
func (r *Revisit) EscalateIfOverdue(now time.Time) *events.RevisitEscalated {
	if !r.Overdue(now) || r.Escalated != "" {
		return nil
	}
	return r.escalate(events.RevisitOverdue, now)
}

func (r *Revisit) escalate(why events.RevisitEscalationReason, now time.Time) *events.RevisitEscalated {
	at := now.UTC()
	r.Escalated, r.EscalatedAt = why, &at
	return &events.RevisitEscalated{
		Subject: r.subject(), Handoff: events.Handoff{From: r.Revisitor, To: Committee(r.CountyCode)},
		RevisitID: r.ID, Round: r.Round, Reason: why, Attempts: r.Attempts, DueBy: r.DueBy, EscalatedAt: at,
	}
}

// Assign names the officer who owes the revisit.
func (r *Revisit) Assign(officer string) error {
	if strings.TrimSpace(officer) == "" {
		return FieldError{"#/officer", "must name the officer"}
	}
	if err := r.open(); err != nil {
		return err
	}
	r.Officer = strings.TrimSpace(officer)
	return nil
}
