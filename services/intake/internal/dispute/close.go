package dispute

import (
	"strings"
	"time"

	"fengqiao.dev/api/events"
)

// SecondHandlingReason is the reason of a reopening by second handling.
const SecondHandlingReason = "second handling: repeat reports"

// CloseRound records that round was closed at at: its revisit found the
// dispute stable (docs/domain.md, step 6: a stable revisit closes the loop). It
// reports whether anything changed: a stale round, or a round already
// closed, is left as it is.
func (d *Dispute) CloseRound(round int, at time.Time) bool {
	if round != d.Round || d.ClosedAt != nil {
		return false
	}
	at = at.UTC()
	d.ClosedAt, d.Status = &at, StatusClosed
	return true
}

// closedWithin reports whether the current round was closed within the
// window before now: a dispute closed long ago is not reopened by repeat
// reports.
func (d Dispute) closedWithin(window time.Duration, now time.Time) bool {
	return d.ClosedAt != nil && now.Sub(*d.ClosedAt) <= window
}

// reopenForSecondHandling starts the next round of a recently closed
// dispute that repeat reports sent to second handling. The risk was
// raised by second handling already;
// CausedBy names the reports within the window that reached the threshold.
func (d *Dispute) reopenForSecondHandling(window time.Duration, from events.Agency, now time.Time) *events.DisputeReopened {
	e := d.nextRound(Rebound{
		Round: d.Round, Reason: SecondHandlingReason, CausedBy: d.reportIDsWithin(window, now), From: from, At: now,
	}, SecondHandlingReason)
	return &e
}

// reportIDsWithin lists, comma-separated, the linked reports within the
// window before now ("report/<id>", the ID the link was recorded under).
func (d Dispute) reportIDsWithin(window time.Duration, now time.Time) string {
	var ids []string
	for _, r := range d.Reports {
		if now.Sub(r.At) <= window && r.ID != "" {
			ids = append(ids, "report/"+r.ID)
		}
	}
	if len(ids) == 0 {
		return "repeat reports"
	}
	return strings.Join(ids, ",")
}
