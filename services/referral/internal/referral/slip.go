// Package referral holds the rules of the triplicate referral slip (三联单):
// one slip per round of a dispute, three copies, each with its recipient
// chosen by "谁主管谁负责" and its own acceptance clock. Plain Go, no I/O.
package referral

import (
	"errors"
	"fmt"
	"time"

	"fengqiao.dev/api/events"
)

// CopyState is one copy of a slip as the referral service keeps it.
type CopyState struct {
	Copy       events.Copy
	Recipient  events.Agency
	Topic      string
	AcceptBy   time.Time
	AcceptedAt *time.Time
	AcceptedBy string
	// ClockFrom starts the copy's current clock: its issue, its last return
	// or its last escalation. Window is the time it was given then.
	ClockFrom time.Time
	Window    time.Duration
	Level     Level
	Warned    []int    // warning percentages raised on this clock
	Returns   []Return // 退单, oldest first
	Backstop  bool     // the county centre owns it (兜底)
	// Paused is set while the holder waits on a party: the clock
	// stands still. PausedFor is the time paused on the current clock, by
	// which its deadline and warnings have moved.
	Paused    *Pause
	PausedFor time.Duration
}

// Return is one return (退单) of a copy by its recipient.
type Return struct {
	By     events.Agency
	Staff  string
	Reason string
	At     time.Time
}

// open reports whether the copy still waits for its signature.
func (c CopyState) open() bool { return c.AcceptedAt == nil }

// Slip is one referral slip: one round of one dispute.
type Slip struct {
	ID         string
	DisputeID  string
	CountyCode string
	CaseCode   string
	Round      int
	Category   events.Category
	RiskLevel  events.RiskLevel
	Place      events.Place
	Parties    []events.PartySummary
	IssuedBy   events.Agency
	IssuedAt   time.Time
	Copies     []CopyState
	// NextCheckAt is when the deadline sweeper next has something to do on
	// this slip (a warning or a deadline); nil once every copy is signed.
	NextCheckAt *time.Time
	// Transfers are the counties the slip was handed on from, oldest first;
	// CountyCode is the county that holds it now.
	Transfers []Transfer
}

// SlipID names the slip of one round: one case code for life, one slip per
// round.
func SlipID(disputeID string, round int) string { return fmt.Sprintf("%s.r%d", disputeID, round) }

// Case is what a slip is issued from: a registered or reopened dispute.
type Case struct {
	DisputeID, CountyCode, CaseCode string
	Round                           int
	Category                        events.Category
	RiskLevel                       events.RiskLevel
	Place                           events.Place
	Parties                         []events.PartySummary
	Station                         events.Agency // the police station that recorded it
}

// Issue makes the slip of a case: copy 1 to the county political-legal
// committee (supervise), copy 2 to the responsible jurisdiction (handle),
// copy 3 retained by the recording police station (follow to closure).
//
// Each copy's deadline comes from the county's terms; the committee copy sits
// at the top of the escalation ladder, the police copy at the station, the
// jurisdiction copy at the level the risk starts at.
func Issue(c Case, route Router, terms Terms, now time.Time) Slip {
	now = now.UTC()
	jurisdiction, ok := route.Jurisdiction(c.Category, c.Place, nil)
	if !ok {
		jurisdiction = route.CountyCentre(c.CountyCode)
	}
	s := Slip{
		ID: SlipID(c.DisputeID, c.Round), DisputeID: c.DisputeID, CountyCode: c.CountyCode,
		CaseCode: c.CaseCode, Round: c.Round, Category: c.Category, RiskLevel: c.RiskLevel,
		Place: c.Place, Parties: c.Parties, IssuedBy: c.Station, IssuedAt: now,
	}
	s.Copies = newCopies(c.CountyCode, map[events.Copy]events.Agency{
		events.CopyCommittee:    route.Committee(c.CountyCode),
		events.CopyJurisdiction: jurisdiction,
		events.CopyPolice:       c.Station,
	}, terms, now)
	s.planNextCheck(terms)
	return s
}

// newCopies are the three copies of a slip held by county, addressed to
// recipients, each on its county topic and a fresh clock from now.
func newCopies(county string, recipients map[events.Copy]events.Agency, terms Terms, now time.Time) []CopyState {
	levels := map[events.Copy]Level{
		events.CopyCommittee: LevelCountyCommittee, events.CopyJurisdiction: terms.StartLevel, events.CopyPolice: LevelStation,
	}
	out := make([]CopyState, 0, len(recipients))
	for _, cp := range events.Copies() {
		cs := CopyState{Copy: cp, Recipient: recipients[cp], Topic: events.CountyCopyTopic(county, cp), Level: levels[cp]}
		cs.restartClock(terms, now)
		out = append(out, cs)
	}
	return out
}

// restartClock gives the copy a fresh acceptance clock from now.
func (c *CopyState) restartClock(terms Terms, now time.Time) {
	c.ClockFrom, c.Window, c.AcceptBy, c.Warned = now, terms.AcceptWithin, terms.deadline(now), nil
	c.Paused, c.PausedFor = nil, 0
}

// Errors of Accept.
var (
	ErrUnknownCopy     = errors.New("no such copy on this slip")
	ErrAlreadyAccepted = errors.New("this copy has already been signed for")
)

// Accept records that a copy's recipient signed for it (签收), on the
// copy's own clock.
func (s *Slip) Accept(cp events.Copy, by string, now time.Time) (events.ReferralCopyAccepted, error) {
	for i := range s.Copies {
		c := &s.Copies[i]
		if c.Copy != cp {
			continue
		}
		if c.AcceptedAt != nil {
			return events.ReferralCopyAccepted{}, ErrAlreadyAccepted
		}
		at := now.UTC()
		c.endPause(at) // signing ends a pause: the time waited does not make it late
		c.AcceptedAt, c.AcceptedBy = &at, by
		return events.ReferralCopyAccepted{
			Subject: events.Subject{DisputeID: s.DisputeID, CountyCode: s.CountyCode},
			Handoff: events.Handoff{From: s.IssuedBy, To: c.Recipient},
			SlipID:  s.ID, Round: s.Round, Copy: cp, AcceptedBy: by, AcceptedAt: at,
			TimeToSignSeconds: int64(at.Sub(s.IssuedAt).Seconds()), Late: at.After(c.AcceptBy),
		}, nil
	}
	return events.ReferralCopyAccepted{}, ErrUnknownCopy
}
