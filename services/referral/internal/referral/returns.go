package referral

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"fengqiao.dev/api/events"
)

// Errors of Return.
var (
	ErrOnlyJurisdictionReturns = errors.New("only the jurisdiction copy can be returned")
	ErrReasonRequired          = errors.New("a return needs a reason of at most 500 characters")
	ErrNotRecipient            = errors.New("only the copy's current recipient can return it")
	ErrBackstopKeeps           = errors.New("the county governance centre owns this copy and cannot return it (兜底)")
)

// MaxReasonLength bounds a return's reason, in characters.
const MaxReasonLength = 500

// Return records that the recipient of the jurisdiction copy returned it (退单)
// with a reason, and hands it to the next responsible unit, none of which
// returned it before. After terms.MaxReturns returns, or when no unit is
// left, the county governance centre owns it (兜底) and cannot return it:
// a dispute never falls between units. The copy starts a new clock; the
// caller publishes the returned event and the re-issued copy.
func (s *Slip) Return(cp events.Copy, by events.Agency, staff, reason string, route Router, terms Terms, now time.Time) (events.ReferralCopyReturned, error) {
	reason = strings.TrimSpace(reason)
	c, err := s.returnable(cp, by, reason)
	if err != nil {
		return events.ReferralCopyReturned{}, err
	}
	now = now.UTC()
	c.Returns = append(c.Returns, Return{By: c.Recipient, Staff: staff, Reason: reason, At: now})
	next, ok := route.Jurisdiction(s.Category, s.Place, returnedBy(c.Returns))
	if !ok || len(c.Returns) >= terms.MaxReturns {
		next, c.Backstop = route.CountyCentre(s.CountyCode), true
	}
	from := c.Recipient
	c.Recipient = next
	c.restartClock(terms, now)
	s.planNextCheck(terms)
	return events.ReferralCopyReturned{
		Subject: s.subject(), Handoff: events.Handoff{From: from, To: next},
		SlipID: s.ID, Round: s.Round, Copy: cp, ReturnedBy: staff, Reason: reason,
		Returns: len(c.Returns), MaxReturns: terms.MaxReturns, Backstop: c.Backstop,
		AcceptBy: c.AcceptBy, ReturnedAt: now,
	}, nil
}

func (s *Slip) returnable(cp events.Copy, by events.Agency, reason string) (*CopyState, error) {
	if cp != events.CopyJurisdiction {
		return nil, ErrOnlyJurisdictionReturns
	}
	if reason == "" || utf8.RuneCountInString(reason) > MaxReasonLength {
		return nil, ErrReasonRequired
	}
	for i := range s.Copies {
		c := &s.Copies[i]
		switch {
		case c.Copy != cp:
			continue
		case !c.open():
			return nil, ErrAlreadyAccepted
		case c.Backstop:
			return nil, ErrBackstopKeeps
		case c.Recipient.ID != by.ID:
			return nil, ErrNotRecipient
		}
		return c, nil
	}
	return nil, ErrUnknownCopy
}

func returnedBy(rs []Return) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.By.ID
	}
	return out
}
