// Package doclock serialises, within this process, the version-checked
// writes of one document.
//
// MongoDB applies an update's filter and its change atomically, so a write
// conditioned on {_id, version} is a compare-and-set. FerretDB v1 does not:
// its update reads the matching documents, applies the change in Go and
// writes each back by _id alone, outside any transaction (SQLite and
// PostgreSQL backends alike; FerretDB/FerretDB#3040: "a document updated can
// be modified between query and update"). Two concurrent writes of one
// document at the same version then both "match", and the second silently
// overwrites the first: a lost state change, or outbox entries dropped
// before they were published.
//
// Holding this lock around the conditional write makes the check and the
// write atomic again for every writer in the process: the docstore's saves
// and the outbox relay's removals. The embedded platform (all services in
// one process, one writer per collection) is fully covered; a deployment
// where several processes write the same FerretDB collection is not, and
// needs MongoDB.
package doclock

import (
	"hash/maphash"
	"sync"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// stripes bounds the memory: unrelated documents may share a stripe, which
// only serialises two short writes.
const stripes = 512

var (
	seed  = maphash.MakeSeed()
	locks [stripes]sync.Mutex
)

// Lock locks document id of coll and returns the function that unlocks it.
// Hold it for one write only, never across another Lock.
func Lock(coll *mongo.Collection, id string) (unlock func()) {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(coll.Database().Name())
	h.WriteByte(0)
	h.WriteString(coll.Name())
	h.WriteByte(0)
	h.WriteString(id)
	mu := &locks[h.Sum64()%stripes]
	mu.Lock()
	return mu.Unlock
}
