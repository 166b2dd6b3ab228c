package embedded_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/embeddedtest"
)

// TestStoreKnownLimitations pins what the package documentation says about
// FerretDB v1: the patterns services may rely on, and the gaps they must
// design around. If a FerretDB upgrade makes one of the "gap" checks fail,
// the gap is gone: update the package documentation and this test.
func TestStoreKnownLimitations(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 20*time.Second)
	client := connectMongo(t, stack.MongoURI)
	t.Cleanup(func() { disconnect(t, client) })
	coll := client.Database("limits").Collection("cases")

	outbox := bson.A{
		bson.D{{Key: "id", Value: "e1"}, {Key: "sent", Value: false}},
		bson.D{{Key: "id", Value: "e2"}, {Key: "sent", Value: false}},
	}
	reset := func(t *testing.T) {
		t.Helper()
		if _, err := coll.DeleteMany(ctx, bson.D{}); err != nil {
			t.Fatal(err)
		}
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "c1"}, {Key: "v", Value: 1}, {Key: "county", Value: "a"}, {Key: "outbox", Value: outbox}}); err != nil {
			t.Fatal(err)
		}
	}
	load := func(t *testing.T) bson.M {
		t.Helper()
		var d bson.M
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "c1"}}).Decode(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	update := func(t *testing.T, filter, upd any) *mongo.UpdateResult {
		t.Helper()
		res, err := coll.UpdateOne(ctx, filter, upd)
		if err != nil {
			t.Fatalf("UpdateOne(%v): %v", upd, err)
		}
		return res
	}
	byID := bson.D{{Key: "_id", Value: "c1"}}

	// --- works ---

	t.Run("outbox element by index, version-conditioned", func(t *testing.T) {
		reset(t)
		res := update(t,
			bson.D{{Key: "_id", Value: "c1"}, {Key: "v", Value: 1}, {Key: "outbox.1.sent", Value: false}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "outbox.1.sent", Value: true}}}, {Key: "$inc", Value: bson.D{{Key: "v", Value: 1}}}})
		if res.ModifiedCount != 1 {
			t.Fatalf("modified %d", res.ModifiedCount)
		}
		ob := load(t)["outbox"].(bson.A)
		if field(ob[0], "sent") != false || field(ob[1], "sent") != true {
			t.Fatalf("outbox = %v", ob)
		}
	})
	t.Run("push, addToSet, pull exact document", func(t *testing.T) {
		reset(t)
		e3 := bson.D{{Key: "id", Value: "e3"}, {Key: "sent", Value: false}}
		update(t, byID, bson.D{{Key: "$push", Value: bson.D{{Key: "outbox", Value: e3}}}})
		update(t, byID, bson.D{{Key: "$addToSet", Value: bson.D{{Key: "outbox", Value: e3}}}}) // already there
		update(t, byID, bson.D{{Key: "$pull", Value: bson.D{{Key: "outbox", Value: outbox[0]}}}})
		if ob := load(t)["outbox"].(bson.A); len(ob) != 2 || field(ob[0], "id") != "e2" || field(ob[1], "id") != "e3" {
			t.Fatalf("outbox = %v", ob)
		}
	})
	t.Run("dedupe by upsert with setOnInsert", func(t *testing.T) {
		seen := client.Database("limits").Collection("seen")
		for i, want := range []int64{1, 0} {
			res, err := seen.UpdateOne(ctx, bson.D{{Key: "_id", Value: "evt-1"}},
				bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "at", Value: time.Now()}}}}, options.UpdateOne().SetUpsert(true))
			if err != nil || res.UpsertedCount != want {
				t.Fatalf("upsert #%d: %+v %v", i+1, res, err)
			}
		}
	})
	t.Run("unique index on insert", func(t *testing.T) {
		c := client.Database("limits").Collection("refs")
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "ref", Value: 1}}, Options: options.Index().SetUnique(true)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.InsertOne(ctx, bson.D{{Key: "ref", Value: "R1"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.InsertOne(ctx, bson.D{{Key: "ref", Value: "R1"}}); !mongo.IsDuplicateKeyError(err) {
			t.Fatalf("second insert: %v, want duplicate key", err)
		}
		// gap: on update the violation is an InternalError, not E11000.
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}, {Key: "ref", Value: "R2"}}); err != nil {
			t.Fatal(err)
		}
		_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "x"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "ref", Value: "R1"}}}})
		var ce mongo.CommandError
		if err == nil || mongo.IsDuplicateKeyError(err) || !errors.As(err, &ce) || ce.Code != 1 {
			t.Fatalf("gap closed? unique violation on update: %v", err)
		}
	})
	t.Run("group with one accumulator", func(t *testing.T) {
		reset(t)
		if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "c2"}, {Key: "v", Value: 5}, {Key: "county", Value: "a"}}); err != nil {
			t.Fatal(err)
		}
		got := aggregate(t, ctx, coll, bson.D{{Key: "_id", Value: "$county"}, {Key: "tot", Value: bson.D{{Key: "$sum", Value: "$v"}}}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}})
		if len(got) != 1 || got[0]["tot"] != int32(6) {
			t.Fatalf("first accumulator: %v", got)
		}
		// gap: the second accumulator is 0, silently.
		if got[0]["n"] != int32(0) {
			t.Fatalf("gap closed? second accumulator = %v (want the buggy 0)", got[0]["n"])
		}
	})

	// --- gaps ---

	t.Run("gap: pull by condition removes nothing", func(t *testing.T) {
		reset(t)
		res := update(t, byID, bson.D{{Key: "$pull", Value: bson.D{{Key: "outbox", Value: bson.D{{Key: "id", Value: "e1"}}}}}})
		if res.ModifiedCount != 0 || len(load(t)["outbox"].(bson.A)) != 2 {
			t.Fatalf("gap closed? $pull by condition modified %d", res.ModifiedCount)
		}
	})
	t.Run("gap: positional operator and arrayFilters", func(t *testing.T) {
		reset(t)
		_, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c1"}, {Key: "outbox.id", Value: "e2"}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "outbox.$.sent", Value: true}}}})
		if err == nil {
			t.Fatal("gap closed? positional $ update succeeded")
		}
		_, err = coll.UpdateOne(ctx, byID, bson.D{{Key: "$set", Value: bson.D{{Key: "outbox.$[e].sent", Value: true}}}},
			options.UpdateOne().SetArrayFilters([]any{bson.D{{Key: "e.id", Value: "e2"}}}))
		if err == nil {
			t.Fatal("gap closed? arrayFilters update succeeded")
		}
	})
	t.Run("gap: elemMatch on documents matches nothing", func(t *testing.T) {
		reset(t)
		n, err := coll.CountDocuments(ctx, bson.D{{Key: "outbox", Value: bson.D{{Key: "$elemMatch", Value: bson.D{{Key: "id", Value: "e1"}}}}}})
		if err != nil || n != 0 {
			t.Fatalf("gap closed? $elemMatch: n=%d err=%v", n, err)
		}
		// The dotted path works.
		if n, err := coll.CountDocuments(ctx, bson.D{{Key: "outbox.id", Value: "e1"}}); err != nil || n != 1 {
			t.Fatalf("dotted path: n=%d err=%v", n, err)
		}
	})
	t.Run("gap: distinct with a deadline", func(t *testing.T) {
		reset(t)
		if err := coll.Distinct(ctx, "county", bson.D{}).Err(); err == nil || !strings.Contains(err.Error(), "maxTimeMS") {
			t.Fatalf("gap closed? distinct with deadline: %v", err)
		}
	})
	t.Run("gap: no transactions, no change streams, no TTL index", func(t *testing.T) {
		sess, err := client.StartSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.EndSession(ctx)
		_, err = sess.WithTransaction(ctx, func(sc context.Context) (any, error) {
			_, err := coll.InsertOne(sc, bson.D{{Key: "_id", Value: "tx"}})
			return nil, err
		})
		if err == nil {
			t.Fatal("gap closed? transaction succeeded")
		}
		if cs, err := coll.Watch(ctx, mongo.Pipeline{}); err == nil {
			cs.Close(ctx)
			t.Fatal("gap closed? change stream opened")
		}
		if _, err := coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "exp", Value: 1}}, Options: options.Index().SetExpireAfterSeconds(60)}); err == nil {
			t.Fatal("gap closed? TTL index created")
		}
	})
}

func aggregate(t *testing.T, ctx context.Context, coll *mongo.Collection, group bson.D) []bson.M {
	t.Helper()
	cur, err := coll.Aggregate(ctx, mongo.Pipeline{{{Key: "$group", Value: group}}})
	if err != nil {
		t.Fatalf("Aggregate: %v", err)
	}
	var out []bson.M
	if err := cur.All(ctx, &out); err != nil {
		t.Fatalf("Aggregate cursor: %v", err)
	}
	return out
}

// TestDataDirLock checks that two stacks never share a data directory.
func TestDataDirLock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	embeddedtest.StartWith(t, embedded.Options{DataDir: dir})
	_, err := embedded.Start(testCtx(t, 10*time.Second), embedded.Options{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Start on the same DataDir: %v", err)
	}
}

// field returns key of a decoded sub-document (bson.D in driver v2).
func field(doc any, key string) any {
	d, ok := doc.(bson.D)
	if !ok {
		return nil
	}
	for _, e := range d {
		if e.Key == key {
			return e.Value
		}
	}
	return nil
}
