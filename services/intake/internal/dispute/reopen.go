package dispute

import (
	"errors"
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// ErrNotReopenable is returned when a reopening names a round that is not
// the dispute's current one (a stale or duplicated rebound).
var ErrNotReopenable = errors.New("the dispute is not in the round the rebound is about")

// Rebound is a revisit's finding that a settled dispute came back.
type Rebound struct {
	Round  int // the round that was settled and rebounded
	Reason string
	// Note is what the revisit recorded: free text that may name people,
	// kept with the reopening and never published.
	Note     string
	CausedBy string // the revisit ID
	From     events.Agency
	At       time.Time
}

// Reopen starts the next round after a rebound (docs/domain.md, step 6: "A rebound
// reopens the case"; step 5: second handling). The risk is raised one level:
// a dispute that came back is more likely to escalate.
func (d *Dispute) Reopen(r Rebound) (events.DisputeReopened, error) {
	if r.Round != d.Round {
		return events.DisputeReopened{}, ErrNotReopenable
	}
	if raised := raise(d.RiskLevel); raised != d.RiskLevel {
		d.RiskLevel = raised
		d.RiskReasons = append(d.RiskReasons, "reopened after a rebound")
	}
	return d.nextRound(r, "rebound found at revisit"), nil
}

// nextRound opens the next round for r, the reason defaulting to
// fallback, and returns its event: the round is open again (ClosedAt is
// cleared), and referral issues a new slip on "dispute.reopened".
func (d *Dispute) nextRound(r Rebound, fallback string) events.DisputeReopened {
	d.Round++
	d.Status, d.ClosedAt = StatusReopened, nil
	reason := strings.TrimSpace(r.Reason)
	if reason == "" {
		reason = fallback
	}
	d.Reopenings = append(d.Reopenings, Reopening{Round: d.Round, Reason: reason, Note: strings.TrimSpace(r.Note), CausedBy: r.CausedBy, At: r.At.UTC()})
	return events.DisputeReopened{
		Subject:  events.Subject{DisputeID: d.ID, CountyCode: d.CountyCode},
		Handoff:  events.Handoff{From: r.From, To: d.RecordedBy},
		CaseCode: d.CaseCode, Round: d.Round, Reason: reason, CausedBy: r.CausedBy,
		Category: d.Category, RiskLevel: d.RiskLevel, Place: d.Place, ReopenedAt: r.At.UTC(),
	}
}

func raise(l events.RiskLevel) events.RiskLevel {
	if l == events.RiskLow {
		return events.RiskMedium
	}
	return events.RiskHigh
}
