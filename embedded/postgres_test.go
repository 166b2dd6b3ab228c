package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
)

// startPostgresStore starts the PostgreSQL-backed store on dir, skipping
// the test where PostgreSQL is not installed.
func startPostgresStore(t *testing.T, dir string) *embedded.Store {
	t.Helper()
	s, err := embedded.StartStore(context.Background(), embedded.StoreOptions{Dir: dir, Backend: embedded.BackendPostgreSQL})
	if errors.Is(err, embedded.PostgreSQLNotFound) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The PostgreSQL backend keeps what it stored across a restart on the same
// directory, and finds a document by _id through an index.
func TestPostgreSQLBackendPersistsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	s := startPostgresStore(t, dir)
	c, err := mongo.Connect(options.Client().ApplyURI(s.URI))
	if err != nil {
		t.Fatal(err)
	}
	coll := c.Database("fengqiao").Collection("disputes")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "622901-1"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatal(err)
	}
	_ = c.Disconnect(ctx)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = startPostgresStore(t, dir)
	defer s.Close()
	c, err = mongo.Connect(options.Client().ApplyURI(s.URI))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(ctx)
	coll = c.Database("fengqiao").Collection("disputes")
	var got struct {
		N int `bson:"n"`
	}
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "622901-1"}}).Decode(&got); err != nil || got.N != 1 {
		t.Fatalf("after a restart FindOne = %+v, %v; want n 1", got, err)
	}
	var plan bson.M
	if err := c.Database("fengqiao").RunCommand(ctx, bson.D{
		{Key: "explain", Value: bson.D{{Key: "find", Value: "disputes"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "622901-1"}}}}},
	}).Decode(&plan); err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(plan["queryPlanner"]); !strings.Contains(s, "Index Cond") {
		t.Errorf("a find by _id reads the table instead of an index; plan: %s", s)
	}
}
