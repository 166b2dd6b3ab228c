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
// Holding this lock from the read of a document to its write makes the
// read, the check and the write atomic again for every writer in the
// process: the docstore's updates and the outbox relay's removals. Under
// it they read and write by {_id: value} alone, the only filter FerretDB's
// SQLite backend hands down to SQLite: a filter with the version in it is
// evaluated in Go on every document of the collection, a cost growing
// with the collection on every write. (SQLite itself then needs an index
// on FerretDB's own _id expression to avoid a scan; see
// docs/performance.md.) Against MongoDB the lock is not needed and not
// taken: there the write filtered by {_id, version} is an atomic
// compare-and-set served by the _id index (see Atomic). The embedded
// platform (all services in one process, one writer per collection) is
// fully covered; a deployment where several processes write the same
// FerretDB collection is not, and needs MongoDB.
package doclock

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// stripes bounds the memory: unrelated documents may share a stripe, which
// only serialises two writes. Short ones on an idle store; but under load a
// store write can take seconds, and a writer waiting on a stripe held by an
// unrelated document's slow write counts that wait against its 2 s budget
// (a 409 for a request), more often now that the relay marks 16 documents
// at once. 4,096 stripes (about 400 KB) make such a meeting 8 times rarer
// than 512 did.
const stripes = 4096

// Each stripe is a channel of capacity one rather than a sync.Mutex, so
// that a writer can stop waiting when its context ends (Acquire). The
// first half of the stripes locks documents; the second half locks nested
// documents (AcquireNested).
var (
	seed  = maphash.MakeSeed()
	locks = func() (l [2 * stripes]chan struct{}) {
		for i := range l {
			l[i] = make(chan struct{}, 1)
		}
		return l
	}()
)

// stamps counts, per stripe, the locks released: a holder that wrote has
// released its lock after the write was acknowledged, so a stamp unchanged
// since before a read means no locked writer of this process wrote any
// document of the stripe after that read (see Stamp).
var stamps [2 * stripes]atomic.Uint64

func stripeOf(coll *mongo.Collection, id string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(coll.Database().Name())
	h.WriteByte(0)
	h.WriteString(coll.Name())
	h.WriteByte(0)
	h.WriteString(id)
	return h.Sum64() % stripes
}

// Stamp is document id's stripe's count of released locks. Read it before
// reading the document without the lock; if it is the same later, under
// the lock, no writer of this process has written the document since, and
// what was read is still what is stored. A different stamp says nothing
// more than "read again" (another document of the stripe may have been the
// one written).
func Stamp(coll *mongo.Collection, id string) uint64 {
	return stamps[stripeOf(coll, id)].Load()
}

// uncertainUntil holds, per stripe, the time (Unix nanoseconds) until which
// a write of one of its documents may still land in the store although its
// writer already returned with an error.
var uncertainUntil [2 * stripes]atomic.Int64

// MarkUncertain records that a write of document id failed with an unknown
// outcome: its request was cancelled or its connection lost, and the store
// may finish it after the writer has let go of the lock. Such a write lands
// without the stamp moving again, so for the next d a matching stamp no
// longer proves that what was read is what is stored (see Uncertain).
// Call it holding the document's lock.
func MarkUncertain(coll *mongo.Collection, id string, d time.Duration) {
	i := stripeOf(coll, id)
	stamps[i].Add(1)
	until := time.Now().Add(d).UnixNano()
	uncertainUntil[i].Store(until)
	for {
		last := anyUncertainUntil.Load()
		if last >= until || anyUncertainUntil.CompareAndSwap(last, until) {
			return
		}
	}
}

// anyUncertainUntil is the latest moment a write of any document may still
// land.
var anyUncertainUntil atomic.Int64

// AnyUncertain reports whether a write of some document may still land
// (MarkUncertain): a relay stopping now cannot tell whether it left one
// unpublished.
func AnyUncertain() bool {
	return time.Now().UnixNano() < anyUncertainUntil.Load()
}

// Uncertain reports whether a write of document id's stripe may still land
// (MarkUncertain): a reader that would trust its stamp must read again.
func Uncertain(coll *mongo.Collection, id string) bool {
	return time.Now().UnixNano() < uncertainUntil[stripeOf(coll, id)].Load()
}

// release bumps the stripe's stamp and unlocks it.
func release(i uint64) func() {
	return func() {
		stamps[i].Add(1)
		<-locks[i]
	}
}

// Lock locks document id of coll and returns the function that unlocks it.
// Hold it for one change of the document only (its read, decision and
// write), never across another Lock or Acquire: while holding it, only a
// nested document's lock may be taken (AcquireNested).
func Lock(coll *mongo.Collection, id string) (unlock func()) {
	i := stripeOf(coll, id)
	locks[i] <- struct{}{}
	return release(i)
}

// Acquire is Lock that gives up with ctx's error when ctx ends first.
func Acquire(ctx context.Context, coll *mongo.Collection, id string) (unlock func(), err error) {
	return acquire(ctx, stripeOf(coll, id))
}

// AcquireNested is Acquire for a nested document: one its writer may write
// while holding another document's lock, as a due index's entry is filed
// within the change of the slip that falls due. Nested documents are locked
// in stripes of their own. Sharing the first half, the entry's stripe could
// be the one its writer already holds, and the writer would wait on itself
// until its patience ran out (or two writers each on the other's). Apart,
// and with a holder of a nested lock taking no further lock, no writer can
// wait on a lock that waits on it. Every writer of a document must lock it
// the same way, nested or not.
func AcquireNested(ctx context.Context, coll *mongo.Collection, id string) (unlock func(), err error) {
	return acquire(ctx, stripes+stripeOf(coll, id))
}

func acquire(ctx context.Context, i uint64) (unlock func(), err error) {
	select {
	case locks[i] <- struct{}{}:
		return release(i), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Which servers give a real compare-and-set, learnt once per client.
var atomicByClient sync.Map // *mongo.Client → bool

// Atomic reports whether the server behind coll applies an update's filter
// and its change atomically (MongoDB), so that a write filtered by
// {_id, version} is a compare-and-set, or not (FerretDB).
//
// It asks the server once per client, with buildInfo, rather than taking
// an option: FerretDB answers buildInfo with a "ferretdbVersion" field that
// MongoDB never sends, so every service gets the right mode from its
// connection string alone, whoever wires it (the embedded stack, a test, a
// cluster deployment pointing at FerretDB or at MongoDB), and a
// misconfigured option cannot silently make a MongoDB deployment lose its
// atomic compare-and-set or a FerretDB one its lock. A failed question is
// not remembered: the caller's write fails and the next one asks again.
func Atomic(ctx context.Context, coll *mongo.Collection) (bool, error) {
	client := coll.Database().Client()
	if v, ok := atomicByClient.Load(client); ok {
		return v.(bool), nil
	}
	raw, err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return false, fmt.Errorf("while asking the store which server it is: %w", err)
	}
	_, ferret := raw.Lookup("ferretdbVersion").StringValueOK()
	atomicByClient.Store(client, !ferret)
	return !ferret, nil
}
