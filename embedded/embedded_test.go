package embedded_test

import (
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/embeddedtest"
)

// --- helpers ---------------------------------------------------------------

func testCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func connectMongo(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatalf("mongo.Connect: %v", err)
	}
	return c
}

func disconnect(t *testing.T, c *mongo.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Disconnect(ctx); err != nil {
		t.Errorf("mongo Disconnect: %v", err)
	}
}

// --- MongoDB ---------------------------------------------------------------

type caseDoc struct {
	ID      string    `bson:"_id"`
	County  string    `bson:"county"`
	Status  string    `bson:"status"`
	Version int64     `bson:"version"`
	Risk    int       `bson:"risk"`
	Opened  time.Time `bson:"opened"`
}

func TestMongoCRUD(t *testing.T) {
	t.Parallel()
	stack := embeddedtest.Start(t)
	ctx := testCtx(t, 20*time.Second)
	client := connectMongo(t, stack.MongoURI)
	t.Cleanup(func() { disconnect(t, client) })
	coll := client.Database("intake").Collection("cases")

	now := time.Now().UTC().Truncate(time.Millisecond)
	docs := []any{
		caseDoc{ID: "c1", County: "330102", Status: "open", Version: 1, Risk: 1, Opened: now},
		caseDoc{ID: "c2", County: "330102", Status: "open", Version: 1, Risk: 3, Opened: now.Add(time.Minute)},
		caseDoc{ID: "c3", County: "330103", Status: "open", Version: 1, Risk: 5, Opened: now.Add(2 * time.Minute)},
	}
	if _, err := coll.InsertMany(ctx, docs); err != nil {
		t.Fatalf("InsertMany: %v", err)
	}
	// Duplicate _id is a duplicate-key write error.
	if _, err := coll.InsertOne(ctx, caseDoc{ID: "c1"}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("duplicate InsertOne: got %v, want duplicate key error", err)
	}

	var got caseDoc
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "c2"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}
	if got.Risk != 3 || !got.Opened.Equal(now.Add(time.Minute)) {
		t.Fatalf("FindOne: got %+v", got)
	}

	// Optimistic concurrency: update only if the version is the one read.
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: "referred"}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}},
	}
	res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c2"}, {Key: "version", Value: int64(1)}}, update)
	if err != nil {
		t.Fatalf("UpdateOne: %v", err)
	}
	if res.MatchedCount != 1 || res.ModifiedCount != 1 {
		t.Fatalf("UpdateOne at version 1: matched %d modified %d, want 1/1", res.MatchedCount, res.ModifiedCount)
	}
	res, err = coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "c2"}, {Key: "version", Value: int64(1)}}, update)
	if err != nil {
		t.Fatalf("stale UpdateOne: %v", err)
	}
	if res.MatchedCount != 0 {
		t.Fatalf("stale UpdateOne matched %d, want 0", res.MatchedCount)
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "c2"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}
	if got.Status != "referred" || got.Version != 2 {
		t.Fatalf("after update: got %+v", got)
	}

	// $gt on a number and on a date, sorted.
	cur, err := coll.Find(ctx,
		bson.D{{Key: "risk", Value: bson.D{{Key: "$gt", Value: 1}}}, {Key: "opened", Value: bson.D{{Key: "$gt", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "risk", Value: -1}}))
	if err != nil {
		t.Fatalf("Find $gt: %v", err)
	}
	var found []caseDoc
	if err := cur.All(ctx, &found); err != nil {
		t.Fatalf("cursor: %v", err)
	}
	if len(found) != 2 || found[0].ID != "c3" || found[1].ID != "c2" {
		t.Fatalf("Find $gt: got %+v, want c3, c2", found)
	}

	n, err := coll.CountDocuments(ctx, bson.D{{Key: "county", Value: "330102"}})
	if err != nil || n != 2 {
		t.Fatalf("CountDocuments = %d, %v; want 2", n, err)
	}
}

// --- wiring errors -----------------------------------------------------------

func TestStartErrors(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t, 10*time.Second)

	if _, err := embedded.Start(ctx, embedded.Options{KafkaAddr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "while starting") {
		t.Errorf("non-loopback KafkaAddr: got %v", err)
	}
	if _, err := embedded.Start(ctx, embedded.Options{MongoAddr: "nonsense"}); err == nil || !strings.Contains(err.Error(), "while starting") {
		t.Errorf("bad MongoAddr: got %v", err)
	}

	// A port that is taken fails the start and leaves nothing running.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = embedded.Start(ctx, embedded.Options{MongoAddr: ln.Addr().String()})
	if err == nil {
		t.Fatal("Start on a taken Mongo port succeeded")
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("taken port: error does not unwrap to *net.OpError: %v", err)
	}
	_, err = embedded.Start(ctx, embedded.Options{KafkaAddr: ln.Addr().String()})
	if !errors.As(err, &opErr) {
		t.Errorf("taken Kafka port: got %v", err)
	}
	// A failed FerretDB start must not leave a tracked backend behind: its
	// finalizer would panic and kill the test binary.
	runtime.GC()
	runtime.GC()

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := embedded.Start(cancelled, embedded.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: got %v, want context.Canceled", err)
	}
}
