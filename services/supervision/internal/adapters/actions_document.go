package adapters

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/bootstrap"
	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/mapping"
	"fengqiao.dev/services/supervision/internal/actions"
)

// The committee's actions on a dispute are stored as a SupervisedDocument
// (see documents.go for why the storage model is separate from the
// domain's).

// ActionCollection is the collection coll of the committee's actions.
func ActionCollection(coll *mongo.Collection) *docstore.Collection[actions.Supervised] {
	return docstore.Mapped(coll, nil, toSupervisedDocument, fromSupervisedDocument)
}

// ServiceActions is the service's collection name of the committee's
// actions, watched by its relay, with the indexes of fields.
func ServiceActions(ctx context.Context, svc *bootstrap.Service, name string, fields ...string) (*docstore.Collection[actions.Supervised], error) {
	return bootstrap.MappedCollection(ctx, svc, name, toSupervisedDocument, fromSupervisedDocument, fields...)
}

// SupervisedDocument is a stored actions.Supervised.
type SupervisedDocument struct {
	DisputeID  string         `bson:"dispute_id"`
	CountyCode string         `bson:"county_code"`
	Urges      []UrgeDocument `bson:"urges"`
	Watched    bool           `bson:"watched"`
	WatchedBy  string         `bson:"watched_by,omitempty"`
	WatchedAt  *time.Time     `bson:"watched_at,omitempty"`
}

// UrgeDocument is a stored actions.Urge.
type UrgeDocument struct {
	ID      string     `bson:"id"`
	Comment string     `bson:"comment"`
	By      string     `bson:"by"`
	At      time.Time  `bson:"at"`
	ReadBy  string     `bson:"read_by,omitempty"`
	ReadAt  *time.Time `bson:"read_at,omitempty"`
}

func toSupervisedDocument(s actions.Supervised) SupervisedDocument {
	return SupervisedDocument{DisputeID: s.DisputeID, CountyCode: s.CountyCode, Urges: mapping.Slice(s.Urges, toUrgeDocument),
		Watched: s.Watched, WatchedBy: s.WatchedBy, WatchedAt: s.WatchedAt}
}

func fromSupervisedDocument(d SupervisedDocument) actions.Supervised {
	return actions.Supervised{DisputeID: d.DisputeID, CountyCode: d.CountyCode, Urges: mapping.Slice(d.Urges, fromUrgeDocument),
		Watched: d.Watched, WatchedBy: d.WatchedBy, WatchedAt: d.WatchedAt}
}

func toUrgeDocument(u actions.Urge) UrgeDocument {
	return UrgeDocument{ID: u.ID, Comment: u.Comment, By: u.By, At: u.At, ReadBy: u.ReadBy, ReadAt: u.ReadAt}
}

func fromUrgeDocument(d UrgeDocument) actions.Urge {
	return actions.Urge{ID: d.ID, Comment: d.Comment, By: d.By, At: d.At, ReadBy: d.ReadBy, ReadAt: d.ReadAt}
}
