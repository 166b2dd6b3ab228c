package referral

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao.dev/api/events"
)

// Pause is an open pause of a copy's clock: its holder waits on a party
// (e.g. a party is away or in hospital), so the unit cannot act.
type Pause struct {
	Reason string
	Staff  string
	Since  time.Time
}

// Errors of PauseClock and ResumeClock.
var (
	ErrPauseReasonRequired = errors.New("a pause needs a reason of at most 500 characters")
	ErrAlreadyPaused       = errors.New("this copy's clock is already paused")
	ErrNotPaused           = errors.New("this copy's clock is not paused")
)

// PauseClock stops the copy's clock while its holder waits on a party: no
// warning or escalation is raised on it until ResumeClock, which moves the
// deadline by the time paused. Only the copy's current recipient may pause
// it, with a reason, while it is unsigned.
func (s *Slip) PauseClock(cp events.Copy, holder, staff, reason string, terms Terms, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLength {
		return ErrPauseReasonRequired
	}
	c, err := s.heldBy(cp, holder)
	if err != nil {
		return err
	}
	if c.Paused != nil {
		return ErrAlreadyPaused
	}
	c.Paused = &Pause{Reason: reason, Staff: staff, Since: now.UTC()}
	s.planNextCheck(terms)
	return nil
}

// ResumeClock restarts a paused copy's clock: its deadline, and the
// warnings still to come, move by the time it was paused.
func (s *Slip) ResumeClock(cp events.Copy, holder string, terms Terms, now time.Time) error {
	c, err := s.heldBy(cp, holder)
	if err != nil {
		return err
	}
	if c.Paused == nil {
		return ErrNotPaused
	}
	c.endPause(now)
	s.planNextCheck(terms)
	return nil
}

// endPause closes an open pause at now, moving the deadline by its length.
func (c *CopyState) endPause(now time.Time) {
	if c.Paused == nil {
		return
	}
	paused := max(now.UTC().Sub(c.Paused.Since), 0)
	c.PausedFor += paused
	c.AcceptBy = c.AcceptBy.Add(paused)
	c.Paused = nil
}

// heldBy finds copy cp, unsigned and held by the agency holder.
func (s *Slip) heldBy(cp events.Copy, holder string) (*CopyState, error) {
	for i := range s.Copies {
		c := &s.Copies[i]
		switch {
		case c.Copy != cp:
			continue
		case !c.open():
			return nil, ErrAlreadyAccepted
		case c.Recipient.ID != holder:
			return nil, ErrNotRecipient
		}
		return c, nil
	}
	return nil, ErrUnknownCopy
}
