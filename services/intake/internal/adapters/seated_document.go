package adapters

// The seated team's storage model, separate from the app's Seated so that
// its rules (who a new assignment replaces) do not move when the stored
// shape does, and the shape stores hold does not move when they are
// refactored. testdata/seated.json records the shape.

import (
	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/intake/internal/app"
)

// SeatedDocument is a dispute's mediation team as stored.
type SeatedDocument struct {
	Round   int                    `bson:"round"`
	Members []SeatedMemberDocument `bson:"members"`
}

// SeatedMemberDocument is one mediator of the team as stored.
type SeatedMemberDocument struct {
	Agency     string `bson:"agency"`
	MediatorID string `bson:"mediator_id"`
}

// Seatings are the service's seated teams, kept through SeatedDocument.
// They have no outbox.
func Seatings(svc *bootstrap.Service) *docstore.Collection[app.Seated] {
	return SeatingsIn(svc.DB.Collection(svc.Name + ".seatings"))
}

// SeatingsIn are the seated teams kept in coll.
func SeatingsIn(coll *mongo.Collection) *docstore.Collection[app.Seated] {
	return docstore.Mapped(coll, nil, toSeatedDocument, fromSeatedDocument)
}

func toSeatedDocument(s app.Seated) SeatedDocument {
	return SeatedDocument{Round: s.Round, Members: mapping.Slice(s.Members, func(m app.SeatedMember) SeatedMemberDocument {
		return SeatedMemberDocument{Agency: m.Agency, MediatorID: m.MediatorID}
	})}
}

func fromSeatedDocument(d SeatedDocument) app.Seated {
	return app.Seated{Round: d.Round, Members: mapping.Slice(d.Members, func(m SeatedMemberDocument) app.SeatedMember {
		return app.SeatedMember{Agency: m.Agency, MediatorID: m.MediatorID}
	})}
}
