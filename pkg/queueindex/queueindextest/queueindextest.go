// Package queueindextest helps a service's tests show what a list of its
// queues costs: how many of the index's documents it reads.
package queueindextest

import (
	"context"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"fengqiao.dev/pkg/docstore"
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
