package adapters

// The round's storage model is separate from the app's Round for the
// revisit's reason (revisit_document.go): the round's joining rule does not
// change when its stored shape does, and the shape stores already hold
// does not change when the app is refactored (testdata/round.json records
// it).

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/docstore/eventdocs"
	"fengqiao.dev/services/revisit/internal/app"
)

// RoundCollection keeps the rounds of coll through their storage model.
func RoundCollection(coll *mongo.Collection) *docstore.Collection[app.Round] {
	return docstore.Mapped(coll, nil, toRoundDocument, fromRoundDocument)
}

// RoundDocument is a round as stored.
type RoundDocument struct {
	Police   eventdocs.Agency `bson:"police"`
	Revisits []string         `bson:"revisits"`
}

func toRoundDocument(r app.Round) RoundDocument {
	return RoundDocument{Police: eventdocs.AgencyOf(r.Police), Revisits: r.Revisits}
}

func fromRoundDocument(d RoundDocument) app.Round {
	return app.Round{Police: d.Police.Event(), Revisits: d.Revisits}
}
