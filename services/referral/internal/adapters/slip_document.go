package adapters

// The slip's storage model is separate from the domain's Slip so that
// neither moves the other: the slip's rules do not change when its stored
// shape does, and the shape stores already hold does not change when the
// domain is refactored (testdata/slip.json records it).

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/referral/internal/referral"
)

// SlipCollection keeps the slips of coll through their storage model.
func SlipCollection(coll *mongo.Collection) *docstore.Collection[referral.Slip] {
	return docstore.Mapped(coll, nil, toSlipDocument, fromSlipDocument)
}

// ServiceSlips is the service's slips, indexed on the fields their queries
// filter on; the relay publishes their outbox.
func ServiceSlips(ctx context.Context, svc *bootstrap.Service) (*docstore.Collection[referral.Slip], error) {
	return bootstrap.MappedCollection(ctx, svc, "slips", toSlipDocument, fromSlipDocument, "dispute_id", "county_code", "next_check_at")
}

// SlipDocument is a slip as stored.
type SlipDocument struct {
	ID          string                 `bson:"id"`
	DisputeID   string                 `bson:"dispute_id"`
	CountyCode  string                 `bson:"county_code"`
	CaseCode    string                 `bson:"case_code"`
	Round       int                    `bson:"round"`
	Category    string                 `bson:"category"`
	RiskLevel   string                 `bson:"risk_level"`
	Place       eventdocs.Place        `bson:"place"`
	Parties     []PartySummaryDocument `bson:"parties"`
	IssuedBy    eventdocs.Agency       `bson:"issued_by"`
	IssuedAt    time.Time              `bson:"issued_at"`
	Copies      []CopyStateDocument    `bson:"copies"`
	NextCheckAt *time.Time             `bson:"next_check_at,omitempty"`
	Transfers   []TransferDocument     `bson:"transfers,omitempty"`
}

// CopyStateDocument is one copy of a slip as stored.
type CopyStateDocument struct {
	Copy       string           `bson:"copy"`
	Recipient  eventdocs.Agency `bson:"recipient"`
	Topic      string           `bson:"topic"`
	AcceptBy   time.Time        `bson:"accept_by"`
	AcceptedAt *time.Time       `bson:"accepted_at,omitempty"`
	AcceptedBy string           `bson:"accepted_by,omitempty"`
	ClockFrom  time.Time        `bson:"clock_from"`
	// Window and PausedFor are kept in nanoseconds, as a time.Duration
	// encodes.
	Window    time.Duration    `bson:"window"`
	Level     int              `bson:"level"`
	Warned    []int            `bson:"warned,omitempty"`
	Returns   []ReturnDocument `bson:"returns,omitempty"`
	Backstop  bool             `bson:"backstop,omitempty"`
	Paused    *PauseDocument   `bson:"paused,omitempty"`
	PausedFor time.Duration    `bson:"paused_for,omitempty"`
}

// ReturnDocument is one return (退单) of a copy as stored.
type ReturnDocument struct {
	By     eventdocs.Agency `bson:"by"`
	Staff  string           `bson:"staff"`
	Reason string           `bson:"reason"`
	At     time.Time        `bson:"at"`
}

// PauseDocument is an open pause of a copy's clock as stored.
type PauseDocument struct {
	Reason string    `bson:"reason"`
	Staff  string    `bson:"staff"`
	Since  time.Time `bson:"since"`
}

// TransferDocument is one handoff of a slip between counties as stored.
type TransferDocument struct {
	FromCounty string              `bson:"from_county"`
	ToCounty   string              `bson:"to_county"`
	By         eventdocs.Agency    `bson:"by"`
	Staff      string              `bson:"staff"`
	Reason     string              `bson:"reason"`
	At         time.Time           `bson:"at"`
	Copies     []CopyStateDocument `bson:"copies"`
}

// PartySummaryDocument is a party's masked summary as stored, its fields
// named as the driver named the untagged event type's (see eventdocs);
// only this service stores it.
type PartySummaryDocument struct {
	Role       string `bson:"role"`
	MaskedName string `bson:"maskedname"`
}

func toSlipDocument(s referral.Slip) SlipDocument {
	return SlipDocument{
		ID: s.ID, DisputeID: s.DisputeID, CountyCode: s.CountyCode, CaseCode: s.CaseCode, Round: s.Round,
		Category: string(s.Category), RiskLevel: string(s.RiskLevel), Place: eventdocs.PlaceOf(s.Place),
		Parties: mapping.Slice(s.Parties, toPartySummaryDocument), IssuedBy: eventdocs.AgencyOf(s.IssuedBy), IssuedAt: s.IssuedAt,
		Copies: mapping.Slice(s.Copies, toCopyStateDocument), NextCheckAt: s.NextCheckAt, Transfers: mapping.Slice(s.Transfers, toTransferDocument),
	}
}

func fromSlipDocument(d SlipDocument) referral.Slip {
	return referral.Slip{
		ID: d.ID, DisputeID: d.DisputeID, CountyCode: d.CountyCode, CaseCode: d.CaseCode, Round: d.Round,
		Category: events.Category(d.Category), RiskLevel: events.RiskLevel(d.RiskLevel), Place: d.Place.Event(),
		Parties: mapping.Slice(d.Parties, fromPartySummaryDocument), IssuedBy: d.IssuedBy.Event(), IssuedAt: d.IssuedAt,
		Copies: mapping.Slice(d.Copies, fromCopyStateDocument), NextCheckAt: d.NextCheckAt, Transfers: mapping.Slice(d.Transfers, fromTransferDocument),
	}
}

func toCopyStateDocument(c referral.CopyState) CopyStateDocument {
	d := CopyStateDocument{
		Copy: string(c.Copy), Recipient: eventdocs.AgencyOf(c.Recipient), Topic: c.Topic, AcceptBy: c.AcceptBy,
		AcceptedAt: c.AcceptedAt, AcceptedBy: c.AcceptedBy, ClockFrom: c.ClockFrom, Window: c.Window, Level: int(c.Level),
		Warned: c.Warned, Returns: mapping.Slice(c.Returns, toReturnDocument), Backstop: c.Backstop, PausedFor: c.PausedFor,
	}
	if p := c.Paused; p != nil {
		d.Paused = &PauseDocument{Reason: p.Reason, Staff: p.Staff, Since: p.Since}
	}
	return d
}

func fromCopyStateDocument(d CopyStateDocument) referral.CopyState {
	c := referral.CopyState{
		Copy: events.Copy(d.Copy), Recipient: d.Recipient.Event(), Topic: d.Topic, AcceptBy: d.AcceptBy,
		AcceptedAt: d.AcceptedAt, AcceptedBy: d.AcceptedBy, ClockFrom: d.ClockFrom, Window: d.Window, Level: referral.Level(d.Level),
		Warned: d.Warned, Returns: mapping.Slice(d.Returns, fromReturnDocument), Backstop: d.Backstop, PausedFor: d.PausedFor,
	}
	if p := d.Paused; p != nil {
		c.Paused = &referral.Pause{Reason: p.Reason, Staff: p.Staff, Since: p.Since}
	}
	return c
}

func toReturnDocument(r referral.Return) ReturnDocument {
	return ReturnDocument{By: eventdocs.AgencyOf(r.By), Staff: r.Staff, Reason: r.Reason, At: r.At}
}

func fromReturnDocument(d ReturnDocument) referral.Return {
	return referral.Return{By: d.By.Event(), Staff: d.Staff, Reason: d.Reason, At: d.At}
}

func toTransferDocument(t referral.Transfer) TransferDocument {
	return TransferDocument{FromCounty: t.FromCounty, ToCounty: t.ToCounty, By: eventdocs.AgencyOf(t.By), Staff: t.Staff,
		Reason: t.Reason, At: t.At, Copies: mapping.Slice(t.Copies, toCopyStateDocument)}
}

func fromTransferDocument(d TransferDocument) referral.Transfer {
	return referral.Transfer{FromCounty: d.FromCounty, ToCounty: d.ToCounty, By: d.By.Event(), Staff: d.Staff,
		Reason: d.Reason, At: d.At, Copies: mapping.Slice(d.Copies, fromCopyStateDocument)}
}

func toPartySummaryDocument(p events.PartySummary) PartySummaryDocument {
	return PartySummaryDocument{Role: string(p.Role), MaskedName: p.MaskedName}
}

func fromPartySummaryDocument(d PartySummaryDocument) events.PartySummary {
	return events.PartySummary{Role: events.PartyRole(d.Role), MaskedName: d.MaskedName}
}
