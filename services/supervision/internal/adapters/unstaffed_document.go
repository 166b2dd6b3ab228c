package adapters

import (
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// A county's unstaffed mediations are stored as an UnstaffedListDocument
// (see documents.go for why the storage model is separate from the
// domain's).

// UnstaffedListCollection is the collection coll of unstaffed lists.
func UnstaffedListCollection(coll *mongo.Collection) *docstore.Collection[casefile.UnstaffedList] {
	return docstore.Mapped(coll, nil, toUnstaffedListDocument, fromUnstaffedListDocument)
}

// UnstaffedListDocument is a stored casefile.UnstaffedList.
type UnstaffedListDocument struct {
	CountyCode string                  `bson:"county_code"`
	Entries    []UnstaffedSeatDocument `bson:"entries"`
	Recent     []string                `bson:"recent"`
}

// UnstaffedSeatDocument is a stored casefile.UnstaffedSeat.
type UnstaffedSeatDocument struct {
	Mediation UnstaffedMediationDocument `bson:"mediation"`
	Count     int                        `bson:"count"`
}

// UnstaffedMediationDocument is a stored casefile.UnstaffedMediation. Its
// field names are the ones the driver gave the type, which had none of its
// own: stores hold them.
type UnstaffedMediationDocument struct {
	DisputeID string           `bson:"disputeid"`
	CaseCode  string           `bson:"casecode"`
	Round     int              `bson:"round"`
	Tier      int              `bson:"tier"`
	Room      eventdocs.Agency `bson:"room"`
	Since     time.Time        `bson:"since"`
}

func toUnstaffedListDocument(l casefile.UnstaffedList) UnstaffedListDocument {
	return UnstaffedListDocument{CountyCode: l.CountyCode, Entries: mapping.Slice(l.Entries, toUnstaffedSeatDocument), Recent: l.Recent}
}

func fromUnstaffedListDocument(d UnstaffedListDocument) casefile.UnstaffedList {
	return casefile.UnstaffedList{CountyCode: d.CountyCode, Entries: mapping.Slice(d.Entries, fromUnstaffedSeatDocument), Recent: d.Recent}
}

func toUnstaffedSeatDocument(s casefile.UnstaffedSeat) UnstaffedSeatDocument {
	m := s.Mediation
	return UnstaffedSeatDocument{Count: s.Count, Mediation: UnstaffedMediationDocument{DisputeID: m.DisputeID, CaseCode: m.CaseCode,
		Round: m.Round, Tier: m.Tier, Room: eventdocs.AgencyOf(m.Room), Since: m.Since}}
}

func fromUnstaffedSeatDocument(d UnstaffedSeatDocument) casefile.UnstaffedSeat {
	m := d.Mediation
	return casefile.UnstaffedSeat{Count: d.Count, Mediation: casefile.UnstaffedMediation{DisputeID: m.DisputeID, CaseCode: m.CaseCode,
		Round: m.Round, Tier: m.Tier, Room: m.Room.Event(), Since: m.Since}}
}
