package docstore

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/pkg/outbox"
)

// Fresh is one aggregate to create with CreateMany.
type Fresh[S any] struct {
	ID    string
	State S
}

// duplicateKeyCode is the server's error code for a document whose _id (or
// unique key) is taken.
const duplicateKeyCode = 11000

// CreateMany creates the aggregates of docs that do not exist yet, all in
// one store command, at version 1 and without outbox entries, and returns
// the IDs of those that existed already (left as they were; the caller
// changes them with Update). It is for the keyed index documents a request
// creates several of at once: one insert of many documents is one round
// trip and, on FerretDB, one transaction, where Update creates each with a
// load and an insert of its own.
//
// It needs no lock: the store refuses a second document with the same _id
// atomically, and a concurrent Update creating the same aggregate either
// loses its insert and decides again on what was created here, or wins and
// its ID is returned as existing.
func (c *Collection[S]) CreateMany(ctx context.Context, docs []Fresh[S]) (existing []string, err error) {
	if len(docs) == 0 {
		return nil, nil
	}
	now := c.now().UTC()
	recs := make([]any, len(docs))
	for i, d := range docs {
		recs[i] = c.encodeRecord(Record[S]{ID: d.ID, Version: 1, State: d.State, Outbox: []outbox.Entry{}, CreatedAt: now, UpdatedAt: now})
	}
	_, err = c.coll.InsertMany(ctx, recs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return nil, nil
	}
	var bulk mongo.BulkWriteException
	if !errors.As(err, &bulk) || bulk.WriteConcernError != nil || len(bulk.WriteErrors) == 0 {
		return nil, fmt.Errorf("while creating %d documents of %s: %w", len(docs), c.coll.Name(), err)
	}
	for _, we := range bulk.WriteErrors {
		if we.Code != duplicateKeyCode || we.Index < 0 || we.Index >= len(docs) {
			return nil, fmt.Errorf("while creating %d documents of %s: %w", len(docs), c.coll.Name(), err)
		}
		existing = append(existing, docs[we.Index].ID)
	}
	return existing, nil
}
