package adapters

// The dispute's storage model. It is separate from the aggregate so that
// the domain's rules do not move when the stored shape does, and the stored
// shape, which every store already holds, does not move when the domain is
// refactored: a field renamed in package dispute keeps its name here.
// testdata/dispute.json records the shape (storedshape.Golden).

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/intake/internal/dispute"
)

// DisputeDocument is a dispute as stored.
type DisputeDocument struct {
	ID               string                `bson:"id"`
	CaseCode         string                `bson:"case_code"`
	CountyCode       string                `bson:"county_code"`
	Round            int                   `bson:"round"`
	Status           string                `bson:"status"`
	Channel          string                `bson:"channel"`
	ExternalRef      string                `bson:"external_ref,omitempty"`
	Place            eventdocs.Place       `bson:"place"`
	Address          string                `bson:"address,omitempty"`
	Location         string                `bson:"location,omitempty"`
	Category         string                `bson:"category"`
	Subcategory      string                `bson:"subcategory,omitempty"`
	TaxonomyVersion  string                `bson:"taxonomy_version,omitempty"`
	RiskLevel        string                `bson:"risk_level"`
	RiskReasons      []string              `bson:"risk_reasons"`
	Parties          []PartyDocument       `bson:"parties"`
	GroupSize        int                   `bson:"group_size"`
	Summary          string                `bson:"summary"`
	Narrative        string                `bson:"narrative"`
	RecordedBy       eventdocs.Agency      `bson:"recorded_by"`
	Officer          string                `bson:"officer,omitempty"`
	RegisteredAt     time.Time             `bson:"registered_at"`
	Reopenings       []ReopeningDocument   `bson:"reopenings,omitempty"`
	ClosedAt         *time.Time            `bson:"closed_at,omitempty"`
	RequestHash      string                `bson:"request_hash,omitempty"`
	MatchKeys        []string              `bson:"match_keys,omitempty"`
	Reports          []ReportDocument      `bson:"reports,omitempty"`
	SecondHandledAt  *time.Time            `bson:"second_handled_at,omitempty"`
	CommunityOfficer string                `bson:"community_officer,omitempty"`
	Facts            RiskFactsDocument     `bson:"facts"`
	ComputedRisk     string                `bson:"computed_risk,omitempty"`
	Override         *RiskOverrideDocument `bson:"override,omitempty"`
	Redirect         *RedirectDocument     `bson:"redirect,omitempty"`
	Transfers        []TransferDocument    `bson:"transfers,omitempty"`
}

// PartyDocument is a party as stored; its personal fields hold sealed text
// when the service seals personal data.
type PartyDocument struct {
	Role     string `bson:"role"`
	Name     string `bson:"name"`
	IDNumber string `bson:"id_number,omitempty"`
	Phone    string `bson:"phone,omitempty"`
}

// ReopeningDocument is one reopening as stored.
type ReopeningDocument struct {
	Round    int       `bson:"round"`
	Reason   string    `bson:"reason"`
	Note     string    `bson:"note,omitempty"`
	CausedBy string    `bson:"caused_by"`
	At       time.Time `bson:"at"`
}

// ReportDocument is one linked report as stored.
type ReportDocument struct {
	ID          string           `bson:"id"`
	Channel     string           `bson:"channel"`
	ExternalRef string           `bson:"external_ref,omitempty"`
	Station     eventdocs.Agency `bson:"station"`
	Officer     string           `bson:"officer,omitempty"`
	MatchedOn   []string         `bson:"matched_on"`
	At          time.Time        `bson:"at"`
}

// RiskFactsDocument are the facts the risk is graded on, as stored.
type RiskFactsDocument struct {
	Category          string `bson:"category"`
	ThreatsOfViolence bool   `bson:"threats_of_violence"`
	VulnerableParties bool   `bson:"vulnerable_parties"`
	GroupSize         int    `bson:"group_size"`
	RepeatCount       int    `bson:"repeat_count"`
	DurationDays      int    `bson:"duration_days"`
	Stage             string `bson:"stage,omitempty"`
}

// RiskOverrideDocument is an officer's override as stored.
type RiskOverrideDocument struct {
	Level    string    `bson:"level"`
	Reason   string    `bson:"reason"`
	Officer  string    `bson:"officer"`
	Computed string    `bson:"computed"`
	At       time.Time `bson:"at"`
}

// RedirectDocument is a redirect as stored.
type RedirectDocument struct {
	To     string `bson:"to"`
	Reason string `bson:"reason"`
}

// TransferDocument is one handoff to another county as stored.
type TransferDocument struct {
	FromCounty string    `bson:"from_county"`
	ToCounty   string    `bson:"to_county"`
	Slip       string    `bson:"slip"`
	At         time.Time `bson:"at"`
}

// DisputeCollection is the service's collection of disputes, kept through
// DisputeDocument, its outbox published by the service's relay; queries
// and indexes name DisputeDocument's fields.
func DisputeCollection(ctx context.Context, svc *bootstrap.Service) (*docstore.Collection[dispute.Dispute], error) {
	return bootstrap.MappedCollection(ctx, svc, "disputes", toDisputeDocument, fromDisputeDocument, "county_code")
}

// DisputesIn is the disputes kept in coll, without a relay: for the
// benchmarks and tests that seed or read a store directly.
func DisputesIn(coll *mongo.Collection) *docstore.Collection[dispute.Dispute] {
	return docstore.Mapped(coll, nil, toDisputeDocument, fromDisputeDocument)
}

func toDisputeDocument(d dispute.Dispute) DisputeDocument {
	return DisputeDocument{
		ID: d.ID, CaseCode: d.CaseCode, CountyCode: d.CountyCode, Round: d.Round, Status: string(d.Status),
		Channel: string(d.Channel), ExternalRef: d.ExternalRef, Place: eventdocs.PlaceOf(d.Place),
		Address: d.Address, Location: d.Location, Category: string(d.Category),
		Subcategory: d.Subcategory, TaxonomyVersion: d.TaxonomyVersion,
		RiskLevel: string(d.RiskLevel), RiskReasons: d.RiskReasons,
		Parties:   mapping.Slice(d.Parties, toPartyDocument),
		GroupSize: d.GroupSize, Summary: d.Summary, Narrative: d.Narrative,
		RecordedBy: eventdocs.AgencyOf(d.RecordedBy), Officer: d.Officer, RegisteredAt: d.RegisteredAt,
		Reopenings: mapping.Slice(d.Reopenings, toReopeningDocument), ClosedAt: d.ClosedAt,
		RequestHash: d.RequestHash, MatchKeys: d.MatchKeys, Reports: mapping.Slice(d.Reports, toReportDocument),
		SecondHandledAt: d.SecondHandledAt, CommunityOfficer: d.CommunityOfficer,
		Facts: toRiskFactsDocument(d.Facts), ComputedRisk: string(d.ComputedRisk),
		Override: mapping.Ptr(d.Override, toRiskOverrideDocument), Redirect: mapping.Ptr(d.Redirect, toRedirectDocument),
		Transfers: mapping.Slice(d.Transfers, toTransferDocument),
	}
}

func fromDisputeDocument(doc DisputeDocument) dispute.Dispute {
	return dispute.Dispute{
		ID: doc.ID, CaseCode: doc.CaseCode, CountyCode: doc.CountyCode, Round: doc.Round, Status: dispute.Status(doc.Status),
		Channel: events.Channel(doc.Channel), ExternalRef: doc.ExternalRef, Place: doc.Place.Event(),
		Address: doc.Address, Location: doc.Location, Category: events.Category(doc.Category),
		Subcategory: doc.Subcategory, TaxonomyVersion: doc.TaxonomyVersion,
		RiskLevel: events.RiskLevel(doc.RiskLevel), RiskReasons: doc.RiskReasons,
		Parties:   mapping.Slice(doc.Parties, fromPartyDocument),
		GroupSize: doc.GroupSize, Summary: doc.Summary, Narrative: doc.Narrative,
		RecordedBy: doc.RecordedBy.Event(), Officer: doc.Officer, RegisteredAt: doc.RegisteredAt,
		Reopenings: mapping.Slice(doc.Reopenings, fromReopeningDocument), ClosedAt: doc.ClosedAt,
		RequestHash: doc.RequestHash, MatchKeys: doc.MatchKeys, Reports: mapping.Slice(doc.Reports, fromReportDocument),
		SecondHandledAt: doc.SecondHandledAt, CommunityOfficer: doc.CommunityOfficer,
		Facts: fromRiskFactsDocument(doc.Facts), ComputedRisk: events.RiskLevel(doc.ComputedRisk),
		Override: mapping.Ptr(doc.Override, fromRiskOverrideDocument), Redirect: mapping.Ptr(doc.Redirect, fromRedirectDocument),
		Transfers: mapping.Slice(doc.Transfers, fromTransferDocument),
	}
}

func toPartyDocument(p dispute.Party) PartyDocument {
	return PartyDocument{Role: string(p.Role), Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
}

func fromPartyDocument(p PartyDocument) dispute.Party {
	return dispute.Party{Role: events.PartyRole(p.Role), Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone}
}

func toReopeningDocument(r dispute.Reopening) ReopeningDocument {
	return ReopeningDocument{Round: r.Round, Reason: r.Reason, Note: r.Note, CausedBy: r.CausedBy, At: r.At}
}

func fromReopeningDocument(r ReopeningDocument) dispute.Reopening {
	return dispute.Reopening{Round: r.Round, Reason: r.Reason, Note: r.Note, CausedBy: r.CausedBy, At: r.At}
}

func toReportDocument(r dispute.Report) ReportDocument {
	return ReportDocument{ID: r.ID, Channel: string(r.Channel), ExternalRef: r.ExternalRef, Station: eventdocs.AgencyOf(r.Station),
		Officer: r.Officer, MatchedOn: r.MatchedOn, At: r.At}
}

func fromReportDocument(r ReportDocument) dispute.Report {
	return dispute.Report{ID: r.ID, Channel: events.Channel(r.Channel), ExternalRef: r.ExternalRef, Station: r.Station.Event(),
		Officer: r.Officer, MatchedOn: r.MatchedOn, At: r.At}
}

func toRiskFactsDocument(f dispute.RiskFacts) RiskFactsDocument {
	return RiskFactsDocument{Category: string(f.Category), ThreatsOfViolence: f.ThreatsOfViolence, VulnerableParties: f.VulnerableParties,
		GroupSize: f.GroupSize, RepeatCount: f.RepeatCount, DurationDays: f.DurationDays, Stage: string(f.Stage)}
}

func fromRiskFactsDocument(f RiskFactsDocument) dispute.RiskFacts {
	return dispute.RiskFacts{Category: events.Category(f.Category), ThreatsOfViolence: f.ThreatsOfViolence, VulnerableParties: f.VulnerableParties,
		GroupSize: f.GroupSize, RepeatCount: f.RepeatCount, DurationDays: f.DurationDays, Stage: dispute.Stage(f.Stage)}
}

func toRiskOverrideDocument(o dispute.RiskOverride) RiskOverrideDocument {
	return RiskOverrideDocument{Level: string(o.Level), Reason: o.Reason, Officer: o.Officer, Computed: string(o.Computed), At: o.At}
}

func fromRiskOverrideDocument(o RiskOverrideDocument) dispute.RiskOverride {
	return dispute.RiskOverride{Level: events.RiskLevel(o.Level), Reason: o.Reason, Officer: o.Officer, Computed: events.RiskLevel(o.Computed), At: o.At}
}

func toRedirectDocument(r dispute.Redirect) RedirectDocument {
	return RedirectDocument{To: r.To, Reason: r.Reason}
}

func fromRedirectDocument(r RedirectDocument) dispute.Redirect {
	return dispute.Redirect{To: r.To, Reason: r.Reason}
}

func toTransferDocument(t dispute.Transfer) TransferDocument {
	return TransferDocument{FromCounty: t.FromCounty, ToCounty: t.ToCounty, Slip: t.Slip, At: t.At}
}

func fromTransferDocument(t TransferDocument) dispute.Transfer {
	return dispute.Transfer{FromCounty: t.FromCounty, ToCounty: t.ToCounty, Slip: t.Slip, At: t.At}
}
