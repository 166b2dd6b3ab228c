package adapters

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/supervision/internal/casefile"
)

// The counts of a counted queue are stored as an ObligationCountsDocument
// (see documents.go for why the storage model is separate from the
// domain's).

// ObligationCountsCollection is the collection coll of obligation counts.
func ObligationCountsCollection(coll *mongo.Collection) *docstore.Collection[casefile.ObligationCounts] {
	return docstore.Mapped(coll, nil, toObligationCountsDocument, fromObligationCountsDocument)
}

// ObligationCountsDocument is a stored casefile.ObligationCounts.
type ObligationCountsDocument struct {
	Weeks     map[string]string `bson:"weeks,omitempty"`
	Deadlines string            `bson:"deadlines,omitempty"`
}

func toObligationCountsDocument(c casefile.ObligationCounts) ObligationCountsDocument {
	return ObligationCountsDocument{Weeks: c.Weeks, Deadlines: c.Deadlines}
}

func fromObligationCountsDocument(d ObligationCountsDocument) casefile.ObligationCounts {
	return casefile.ObligationCounts{Weeks: d.Weeks, Deadlines: d.Deadlines}
}
