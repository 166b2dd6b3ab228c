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
	Copy       events.Copy   `bson:"copy"`
	Recipient  events.Agency `bson:"recipient"`
	Topic      string        `bson:"topic"`
	AcceptBy   time.Time     `bson:"accept_by"`
	AcceptedAt *time.Time    `bson:"accepted_at,omitempty"`
	AcceptedBy string        `bson:"accepted_by,omitempty"`
}

// Slip is one referral slip: one round of one dispute.
type Slip struct {
	ID         string                `bson:"id"`
	DisputeID  string                `bson:"dispute_id"`
	CountyCode string                `bson:"county_code"`
	CaseCode   string                `bson:"case_code"`
	Round      int                   `bson:"round"`
	Category   events.Category       `bson:"category"`
	RiskLevel  events.RiskLevel      `bson:"risk_level"`
	Place      events.Place          `bson:"place"`
	Summary    string                `bson:"summary"`
	Parties    []events.PartySummary `bson:"parties"`
	IssuedBy   events.Agency         `bson:"issued_by"`
	IssuedAt   time.Time             `bson:"issued_at"`
	Copies     []CopyState           `bson:"copies"`
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
	Summary                         string
	Parties                         []events.PartySummary
	Station                         events.Agency // the police station that recorded it
}

// acceptWithin is the default time each recipient has to sign for its copy,
// per risk level. Issue 5 moves these to the county's MediationCenter policy
// and a business-day calendar.
var acceptWithin = map[events.RiskLevel]time.Duration{
	events.RiskHigh:   24 * time.Hour,
	events.RiskMedium: 72 * time.Hour,
	events.RiskLow:    7 * 24 * time.Hour,
}

// Issue makes the slip of a case: copy 1 to the county political-legal
// committee (supervise), copy 2 to the responsible jurisdiction (handle),
// copy 3 retained by the recording police station (follow to closure).
func Issue(c Case, route Router, now time.Time) Slip {
	deadline := now.UTC().Add(acceptWithin[c.RiskLevel])
	recipients := map[events.Copy]events.Agency{
		events.CopyCommittee:    route.Committee(c.CountyCode),
		events.CopyJurisdiction: route.Jurisdiction(c.Category, c.Place),
		events.CopyPolice:       c.Station,
	}
	s := Slip{
		ID: SlipID(c.DisputeID, c.Round), DisputeID: c.DisputeID, CountyCode: c.CountyCode,
		CaseCode: c.CaseCode, Round: c.Round, Category: c.Category, RiskLevel: c.RiskLevel,
		Place: c.Place, Summary: c.Summary, Parties: c.Parties, IssuedBy: c.Station, IssuedAt: now.UTC(),
	}
	for _, cp := range events.Copies() {
		s.Copies = append(s.Copies, CopyState{
			Copy: cp, Recipient: recipients[cp], Topic: events.CountyCopyTopic(c.CountyCode, cp), AcceptBy: deadline,
		})
	}
	return s
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
