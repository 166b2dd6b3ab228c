package referral

import (
	"fmt"
	"sort"
	"time"

	"fengqiao.dev/api/events"
)

// Sweep raises what is due on the slip at now: a warning for each share of
// a copy's time that passed unsigned (50%, 75%), and an escalation one level
// up the ladder for each copy whose deadline passed. An escalated copy stays
// with its recipient on a new clock, so a unit that keeps ignoring it climbs
// on. A copy at the top of the ladder is not escalated further: it is
// signed for late, and the acceptance event says so. Sweep is idempotent: a
// second sweep at the same instant raises nothing.
func (s *Slip) Sweep(terms Terms, now time.Time) []events.Payload {
	now = now.UTC()
	var out []events.Payload
	for i := range s.Copies {
		c := &s.Copies[i]
		if !c.open() || c.Paused != nil {
			continue
		}
		if e, ok := s.escalate(c, terms, now); ok {
			out = append(out, e)
			continue
		}
		out = append(out, s.warn(c, terms, now)...)
	}
	s.planNextCheck(terms)
	return out
}

func (s *Slip) escalate(c *CopyState, terms Terms, now time.Time) (events.Payload, bool) {
	if now.Before(c.AcceptBy) || c.Level >= LevelCountyCommittee {
		return nil, false
	}
	from, missed, started := c.Level, c.AcceptBy, c.ClockFrom
	c.Level++
	c.restartClock(terms, now)
	return events.ReferralCopyEscalated{
		Subject: s.subject(), Handoff: events.Handoff{From: c.Recipient, To: s.levelAgency(c.Level)},
		SlipID: s.ID, Round: s.Round, Copy: c.Copy, FromLevel: from.String(), ToLevel: c.Level.String(),
		Reason:         fmt.Sprintf("the %s copy was not signed for within %s by %s (%s)", c.Copy, c.Window, c.Recipient.ID, from),
		ElapsedSeconds: int64(now.Sub(started).Seconds()), MissedDeadline: missed, AcceptBy: c.AcceptBy, EscalatedAt: now,
	}, true
}

func (s *Slip) warn(c *CopyState, terms Terms, now time.Time) []events.Payload {
	var out []events.Payload
	for _, p := range pendingWarnings(c, terms) {
		if now.Before(c.warningAt(terms, p)) {
			break
		}
		c.Warned = append(c.Warned, p)
		out = append(out, events.ReferralCopyDeadlineWarning{
			Subject: s.subject(), Handoff: events.Handoff{From: s.IssuedBy, To: c.Recipient},
			SlipID: s.ID, Round: s.Round, Copy: c.Copy, Level: c.Level.String(), Percent: p,
			ElapsedSeconds: int64(now.Sub(c.ClockFrom).Seconds()), AcceptBy: c.AcceptBy,
			Reason:   fmt.Sprintf("%d%% of the %s to sign for the %s copy has passed", p, c.Window, c.Copy),
			WarnedAt: now,
		})
	}
	return out
}

// pendingWarnings lists, in order, the warning percentages not yet raised on
// the copy's current clock.
func pendingWarnings(c *CopyState, terms Terms) []int {
	var out []int
	for _, p := range terms.WarnAt {
		if p > 0 && p < 100 && !contains(c.Warned, p) {
			out = append(out, p)
		}
	}
	sort.Ints(out)
	return out
}

// warningAt is when p percent of the copy's window has passed, on the
// county's clock.
func (c *CopyState) warningAt(terms Terms, p int) time.Time {
	return terms.after(c.ClockFrom, c.Window*time.Duration(p)/100).Add(c.PausedFor).UTC()
}

// planNextCheck sets NextCheckAt to the earliest warning or escalation due
// on an open copy, or nil when nothing more is due.
func (s *Slip) planNextCheck(terms Terms) {
	var next *time.Time
	earlier := func(t time.Time) {
		if next == nil || t.Before(*next) {
			next = &t
		}
	}
	for i := range s.Copies {
		c := &s.Copies[i]
		if !c.open() || c.Paused != nil {
			continue
		}
		if ps := pendingWarnings(c, terms); len(ps) > 0 {
			earlier(c.warningAt(terms, ps[0]))
		}
		if c.Level < LevelCountyCommittee {
			earlier(c.AcceptBy)
		}
	}
	s.NextCheckAt = next
}

// levelAgency is the agency an escalation to level l alerts.
func (s *Slip) levelAgency(l Level) events.Agency {
	switch l {
	case LevelStation:
		return s.IssuedBy
	case LevelStreetCentre:
		return DefaultRouter{}.streetCentre(s.Place)
	default:
		return s.copy(events.CopyCommittee).Recipient
	}
}

func (s *Slip) subject() events.Subject {
	return events.Subject{DisputeID: s.DisputeID, CountyCode: s.CountyCode}
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
