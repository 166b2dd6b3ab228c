package referral

import (
	"time"

	"fengqiao.dev/api/events"
)

// RaiseRisk follows a dispute whose risk was raised after its slip was
// issued (repeat reports, second handling, an officer's override): each
// unsigned copy gets the acceptance time of the new level, counted from the
// start of its current clock on the new level's calendar (a high-risk copy
// runs on the wall clock), whenever that is sooner than what it had, so a
// more dangerous dispute is never left on a calmer dispute's deadline. A
// copy already past its new deadline is escalated by the next sweep. A risk
// lowered, or unchanged, leaves the slip as it is: a deadline once given is
// not lengthened behind the recipient's back. It reports whether the slip
// changed.
func (s *Slip) RaiseRisk(to events.RiskLevel, terms Terms, now time.Time) bool {
	if !to.MoreUrgentThan(s.RiskLevel) {
		return false
	}
	s.RiskLevel = to
	for i := range s.Copies {
		c := &s.Copies[i]
		if !c.open() {
			continue
		}
		if sooner := terms.after(c.ClockFrom, terms.AcceptWithin).Add(c.PausedFor).UTC(); sooner.Before(c.AcceptBy) {
			c.Window, c.AcceptBy = terms.AcceptWithin, sooner
		}
	}
	s.planNextCheck(terms)
	return true
}
