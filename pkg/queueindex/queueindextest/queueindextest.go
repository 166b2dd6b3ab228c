// Package queueindextest helps a service's tests show what a list of its
// queues costs (how many of the index's documents it reads) and that a
// store written under an older layout of its queues gets them built anew.
package queueindextest

import (
	"context"
	"maps"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
	"fengqiao.dev/pkg/outbox"
	"fengqiao.dev/pkg/queueindex"
)

// CountedDocs is an index's collection that counts the documents read.
type CountedDocs struct {
	*docstore.Collection[queueindex.Doc]
	gets atomic.Int64
}

// Counted is a collection over coll for a queueindex.Index, counting reads.
func Counted(coll *mongo.Collection) *CountedDocs {
	return &CountedDocs{Collection: docstore.New[queueindex.Doc](coll, nil)}
}

// Get is the collection's Get, counted.
func (c *CountedDocs) Get(ctx context.Context, id string) (queueindex.Doc, error) {
	c.gets.Add(1)
	return c.Collection.Get(ctx, id)
}

// Gets is how many documents have been read so far.
func (c *CountedDocs) Gets() int64 { return c.gets.Load() }

// Reads is how many documents f reads.
func (c *CountedDocs) Reads(f func()) int64 {
	before := c.Gets()
	f()
	return c.Gets() - before
}

// Older stores what a version of a service that had built its queues under
// an older layout left: states, each a new record under its key in
// records (through the service's storage model), and the queues'
// collection marked built under marker. It returns that collection,
// counting reads; the service's EnsureQueues then builds its queues anew.
func Older[S any](t testing.TB, db *mongo.Database, records *docstore.Collection[S], queues, marker string, states map[string]S) *CountedDocs {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	fresh := make([]docstore.Fresh[S], 0, len(states))
	for _, id := range slices.Sorted(maps.Keys(states)) {
		fresh = append(fresh, docstore.Fresh[S]{ID: id, State: states[id]})
	}
	if _, err := records.CreateMany(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	built := docstore.Record[queueindex.Doc]{ID: "built/" + marker, Version: 1, Outbox: []outbox.Entry{}, CreatedAt: now, UpdatedAt: now}
	if _, err := db.Collection(queues).InsertOne(ctx, built); err != nil {
		t.Fatal(err)
	}
	return Counted(db.Collection(queues))
}
