package agreement

import (
	"errors"
	"time"

	"fengqiao.dev/api/events"
)

// Status of one obligation's performance.
type Status string

// Performance statuses.
const (
	Pending   Status = "pending"
	Performed Status = events.PerformancePerformed
	Missed    Status = events.PerformanceMissed
)

// TermPerformance tracks one obligation.
type TermPerformance struct {
	Term       int // 1-based
	DueBy      time.Time
	Status     Status
	RecordedAt *time.Time
	Note       string
}

// Performance tracks every obligation of an agreement (履约).
type Performance struct {
	Terms []TermPerformance
}

// Errors of Record.
var (
	ErrNoSuchTerm = errors.New("the agreement has no such obligation")
	ErrRecorded   = errors.New("the obligation's performance is already recorded")
)

// Track starts tracking the obligations of a; nil when there is nothing to
// perform by a deadline.
func Track(a Agreement) *Performance {
	if len(a.Obligations) == 0 {
		return nil
	}
	p := &Performance{}
	for i, o := range a.Obligations {
		p.Terms = append(p.Terms, TermPerformance{Term: i + 1, DueBy: o.Deadline.UTC(), Status: Pending})
	}
	return p
}

// Record records the performance of one term: performed, or missed. A term
// performed late still counts as performed if nobody recorded the miss first.
func (p *Performance) Record(term int, performed bool, note string, now time.Time) (TermPerformance, error) {
	if term < 1 || term > len(p.Terms) {
		return TermPerformance{}, ErrNoSuchTerm
	}
	t := &p.Terms[term-1]
	if t.Status != Pending {
		return TermPerformance{}, ErrRecorded
	}
	at := now.UTC()
	t.Status, t.RecordedAt, t.Note = Missed, &at, note
	if performed {
		t.Status = Performed
	}
	return *t, nil
}

// Overdue lists the pending terms whose deadline passed at now: the sweeper
// records them as missed.
func (p *Performance) Overdue(now time.Time) []int {
	var out []int
	for _, t := range p.Terms {
		if t.Status == Pending && now.After(t.DueBy) {
			out = append(out, t.Term)
		}
	}
	return out
}

// Open reports whether some term still awaits performance.
func (p *Performance) Open() bool {
	for _, t := range p.Terms {
		if t.Status == Pending {
			return true
		}
	}
	return false
}
