package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// On FerretDB the relay cannot find pending entries without reading every
// document of a collection, so it sweeps only when it must: when a relay
// may have stopped with entries written but not yet published. The mark of
// a collection (one small document, read and written by _id) says so:
// open while a relay runs, closed by a relay that stopped with nothing left
// to publish. A start that finds the mark open, or none at all (a store
// written before marks, or a new one), sweeps the collection once.
//
// That is exact because FerretDB has one writer per service at a time
// (pkg/writerlease): no other process can leave entries while the mark is
// closed. On MongoDB, where replicas write side by side, the relay keeps
// sweeping at start-up and every sweepInterval, served by the partial
// index on pending.

// marksCollection holds the marks of every watched collection of a
// database, by the collection's name.
const marksCollection = "outbox.relay_marks"

type relayMark struct {
	ID   string    `bson:"_id"`
	Open bool      `bson:"open"`
	At   time.Time `bson:"at"`
}

func marksOf(c *mongo.Collection) *mongo.Collection {
	return c.Database().Collection(marksCollection)
}

// readMark returns the mark of c; found is false for a collection no
// relay ever marked.
func readMark(ctx context.Context, c *mongo.Collection) (mark relayMark, found bool, err error) {
	err = marksOf(c).FindOne(ctx, bson.D{{Key: "_id", Value: c.Name()}}).Decode(&mark)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return relayMark{}, false, nil
	case err != nil:
		return relayMark{}, false, fmt.Errorf("while reading the outbox relay's mark of %s: %w", c.Name(), err)
	}
	return mark, true, nil
}

// writeMark opens or closes the mark of c.
func writeMark(ctx context.Context, c *mongo.Collection, open bool) error {
	_, err := marksOf(c).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.Name()}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "open", Value: open}, {Key: "at", Value: time.Now().UTC()}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("while marking the outbox relay of %s open=%v: %w", c.Name(), open, err)
	}
	return nil
}
