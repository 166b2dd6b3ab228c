package doclock

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// FieldVersion is the field of a document's version, which every
// version-checked write moves on by one.
const FieldVersion = "version"

// SetAtVersion is the one version-checked write of the platform, the
// store's (docstore) and the outbox relay's alike: it sets fields on
// document id of c and moves its version from version to version+1, if
// the document is still at version. locked says the caller holds the
// document's lock (Acquire, Lock; against FerretDB, see Atomic): nobody of
// this process wrote since the caller read the document, so the write
// filters by _id alone, the only filter FerretDB's SQLite backend does not
// evaluate in Go on every document. Otherwise it is MongoDB's atomic
// compare-and-set on {_id, version}. matched false means another writer
// won, or, locked, that the document was deleted: the caller reads again
// and decides again.
func SetAtVersion(ctx context.Context, c *mongo.Collection, id string, version int64, locked bool, fields bson.D) (matched bool, err error) {
	filter := bson.D{{Key: "_id", Value: id}}
	if !locked {
		filter = append(filter, bson.E{Key: FieldVersion, Value: version})
	}
	set := append(fields[:len(fields):len(fields)], bson.E{Key: FieldVersion, Value: version + 1})
	res, err := c.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}
