package adapters

// The repeat-report index entry's storage model, separate from the app's
// entry so that the index's rules (app/repeat_index.go) do not move when
// the stored shape does, and the shape stores hold does not move when they
// are refactored. testdata/matched_disputes.json records the shape.

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/services/intake/internal/app"
)

// MatchedDisputesDocument is one match key's entry as stored.
type MatchedDisputesDocument struct {
	DisputeIDs []string `bson:"dispute_ids"`
}

// RepeatIndex is the service's repeat-report index, kept through
// MatchedDisputesDocument. Its entries have no outbox.
func RepeatIndex(svc *bootstrap.Service) *docstore.Collection[app.MatchedDisputes] {
	return RepeatIndexIn(svc.DB.Collection(svc.Name + ".repeat_keys"))
}

// RepeatIndexIn is the repeat-report index kept in coll.
func RepeatIndexIn(coll *mongo.Collection) *docstore.Collection[app.MatchedDisputes] {
	return docstore.Mapped(coll, nil, toMatchedDisputesDocument, fromMatchedDisputesDocument)
}

func toMatchedDisputesDocument(m app.MatchedDisputes) MatchedDisputesDocument {
	return MatchedDisputesDocument{DisputeIDs: m.DisputeIDs}
}

func fromMatchedDisputesDocument(d MatchedDisputesDocument) app.MatchedDisputes {
	return app.MatchedDisputes{DisputeIDs: d.DisputeIDs}
}
