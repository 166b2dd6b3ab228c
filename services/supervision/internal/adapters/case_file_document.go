package adapters

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// A case file is stored as a CaseFileDocument (see documents.go for why
// the storage model is separate from the domain's).

// CaseFileCollection is the collection coll of case files.
func CaseFileCollection(coll *mongo.Collection) *docstore.Collection[casefile.CaseFile] {
	return docstore.Mapped(coll, nil, toCaseFileDocument, fromCaseFileDocument)
}

// ServiceCaseFiles is the service's collection name of case files, watched
// by its relay, with the indexes of fields.
func ServiceCaseFiles(ctx context.Context, svc *bootstrap.Service, name string, fields ...string) (*docstore.Collection[casefile.CaseFile], error) {
	return bootstrap.MappedCollection(ctx, svc, name, toCaseFileDocument, fromCaseFileDocument, fields...)
}

// CaseFileDocument is a stored casefile.CaseFile.
type CaseFileDocument struct {
	DisputeID  string          `bson:"dispute_id"`
	CountyCode string          `bson:"county_code"`
	CaseCode   string          `bson:"case_code"`
	Category   string          `bson:"category"`
	RiskLevel  string          `bson:"risk_level"`
	Round      int             `bson:"round"`
	ProfileAt  time.Time       `bson:"profile_at"`
	Place      eventdocs.Place `bson:"place"`
	Timeline   []EntryDocument `bson:"timeline"`
}

// EntryDocument is a stored casefile.Entry.
type EntryDocument struct {
	EventID      string            `bson:"event_id"`
	Type         string            `bson:"type"`
	At           time.Time         `bson:"at"`
	From         eventdocs.Agency  `bson:"from"`
	To           eventdocs.Agency  `bson:"to"`
	Copy         string            `bson:"copy,omitempty"`
	Round        int               `bson:"round"`
	Note         string            `bson:"note"`
	Outcome      string            `bson:"outcome,omitempty"`
	Tier         int               `bson:"tier,omitempty"`
	Unstaffed    bool              `bson:"unstaffed,omitempty"`
	SignSeconds  int64             `bson:"sign_seconds,omitempty"`
	Officer      string            `bson:"officer,omitempty"`
	RevisitID    string            `bson:"revisit_id,omitempty"`
	DueBy        time.Time         `bson:"due_by,omitempty"`
	Satisfaction string            `bson:"satisfaction,omitempty"`
	Copies       []CopyDueDocument `bson:"copies,omitempty"`
	Route        string            `bson:"route,omitempty"`
	CountsAs     string            `bson:"counts_as,omitempty"`
	ToCounty     string            `bson:"to_county,omitempty"`
	AmountFen    int64             `bson:"amount_fen,omitempty"`
	TraceID      string            `bson:"trace_id,omitempty"`
}

// CopyDueDocument is a stored casefile.CopyDue.
type CopyDueDocument struct {
	Copy      string           `bson:"copy"`
	Recipient eventdocs.Agency `bson:"recipient"`
	AcceptBy  time.Time        `bson:"accept_by"`
}

func toCaseFileDocument(cf casefile.CaseFile) CaseFileDocument {
	return CaseFileDocument{
		DisputeID: cf.DisputeID, CountyCode: cf.CountyCode, CaseCode: cf.CaseCode,
		Category: string(cf.Category), RiskLevel: string(cf.RiskLevel), Round: cf.Round, ProfileAt: cf.ProfileAt,
		Place:    eventdocs.PlaceOf(cf.Place),
		Timeline: mapping.Slice(cf.Timeline, toEntryDocument),
	}
}

func fromCaseFileDocument(d CaseFileDocument) casefile.CaseFile {
	return casefile.CaseFile{
		DisputeID: d.DisputeID, CountyCode: d.CountyCode, CaseCode: d.CaseCode,
		Category: events.Category(d.Category), RiskLevel: events.RiskLevel(d.RiskLevel), Round: d.Round, ProfileAt: d.ProfileAt,
		Place:    d.Place.Event(),
		Timeline: mapping.Slice(d.Timeline, fromEntryDocument),
	}
}

func toEntryDocument(e casefile.Entry) EntryDocument {
	return EntryDocument{
		EventID: e.EventID, Type: e.Type, At: e.At, From: eventdocs.AgencyOf(e.From), To: eventdocs.AgencyOf(e.To),
		Copy: string(e.Copy), Round: e.Round, Note: e.Note, Outcome: string(e.Outcome), Tier: e.Tier, Unstaffed: e.Unstaffed,
		SignSeconds: e.SignSeconds, Officer: e.Officer, RevisitID: e.RevisitID, DueBy: e.DueBy,
		Satisfaction: string(e.Satisfaction), Copies: mapping.Slice(e.Copies, toCopyDueDocument), Route: e.Route,
		CountsAs: e.CountsAs, ToCounty: e.ToCounty, AmountFen: e.AmountFen, TraceID: e.TraceID,
	}
}

func fromEntryDocument(d EntryDocument) casefile.Entry {
	return casefile.Entry{
		EventID: d.EventID, Type: d.Type, At: d.At, From: d.From.Event(), To: d.To.Event(),
		Copy: events.Copy(d.Copy), Round: d.Round, Note: d.Note, Outcome: events.RevisitOutcome(d.Outcome), Tier: d.Tier,
		Unstaffed: d.Unstaffed, SignSeconds: d.SignSeconds, Officer: d.Officer, RevisitID: d.RevisitID, DueBy: d.DueBy,
		Satisfaction: events.Satisfaction(d.Satisfaction), Copies: mapping.Slice(d.Copies, fromCopyDueDocument), Route: d.Route,
		CountsAs: d.CountsAs, ToCounty: d.ToCounty, AmountFen: d.AmountFen, TraceID: d.TraceID,
	}
}

func toCopyDueDocument(c casefile.CopyDue) CopyDueDocument {
	return CopyDueDocument{Copy: string(c.Copy), Recipient: eventdocs.AgencyOf(c.Recipient), AcceptBy: c.AcceptBy}
}

func fromCopyDueDocument(d CopyDueDocument) casefile.CopyDue {
	return casefile.CopyDue{Copy: events.Copy(d.Copy), Recipient: d.Recipient.Event(), AcceptBy: d.AcceptBy}
}
