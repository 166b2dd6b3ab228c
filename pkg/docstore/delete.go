package docstore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fengqiao.dev/pkg/internal/doclock"
)

// DeleteIf deletes document id when gone says its state may go, and
// reports whether it did: for records that lose their worth with time,
// such as a kept answer to an Idempotency-Key. The check and the delete are
// one step, as a write's load and save are (see Update): under the
// document's lock against FerretDB, filtered by the version read against
// MongoDB, so a writer that changed the document meanwhile keeps it. A
// document whose outbox still holds unpublished events is never deleted.
func (c *Collection[S]) DeleteIf(ctx context.Context, id string, gone func(S) bool) (bool, error) {
	serialise, err := c.needsLock(ctx)
	if err != nil {
		return false, err
	}
	if serialise {
		unlock, err := doclock.Acquire(ctx, c.coll, id)
		if err != nil {
			return false, err
		}
		defer unlock()
	}
	rec, err := c.load(ctx, id)
	if err != nil || rec == nil || rec.Pending > 0 || !gone(rec.State) {
		return false, err
	}
	filter := bson.D{{Key: "_id", Value: id}}
	if !serialise {
		filter = append(filter, bson.E{Key: "version", Value: rec.Version})
	}
	res, err := c.coll.DeleteOne(ctx, filter)
	if err != nil {
		return false, fmt.Errorf("while deleting %s %s: %w", c.coll.Name(), id, err)
	}
	return res.DeletedCount == 1, nil
}
