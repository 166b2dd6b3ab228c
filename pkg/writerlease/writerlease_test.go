package writerlease_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/doclock"
	"fengqiao.dev/pkg/internal/testkit"
	"fengqiao.dev/pkg/writerlease"
)

func startStore(t *testing.T) *mongo.Database {
	t.Helper()
	testkit.SkipShort(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client.Database("lease")
}

// The embedded store is FerretDB, whose conditional update is not atomic:
// bootstrap, which asks doclock once at connect, takes a lease there.
func TestFerretDBNeedsALease(t *testing.T) {
	db := startStore(t)
	atomic, err := doclock.Atomic(context.Background(), db.Collection("any"))
	if err != nil || atomic {
		t.Fatalf("doclock.Atomic on FerretDB = %v, %v; want false", atomic, err)
	}
}

// A second process of the same service is refused while the first renews
// its lease; another service is not affected; after the first stops, the
// second may start at once.
func TestSecondWriterIsRefusedUntilTheFirstStops(t *testing.T) {
	db := startStore(t)
	ctx := context.Background()
	first, err := writerlease.Acquire(ctx, db, "referral", writerlease.Process{Host: "node-a", PID: 7})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- first.Run(runCtx) }()

	_, err = writerlease.Acquire(ctx, db, "referral", writerlease.Process{Host: "node-b", PID: 7})
	if !errors.Is(err, writerlease.ErrHeld) {
		t.Fatalf("second referral writer: err = %v, want ErrHeld", err)
	}
	t.Logf("refusal reads: %v", err)
	if _, err := writerlease.Acquire(ctx, db, "revisit", writerlease.Process{}); err != nil {
		t.Fatalf("another service: %v", err)
	}

	stop()
	if err := <-done; err != nil {
		t.Fatalf("release: %v", err)
	}
	if _, err := writerlease.Acquire(ctx, db, "referral", writerlease.Process{}); err != nil {
		t.Fatalf("after the first stopped: %v", err)
	}
}

// A process that died without releasing (SIGKILL) blocks a successor only
// until its lease expires.
func TestAnAbandonedLeaseExpires(t *testing.T) {
	db := startStore(t)
	ctx := context.Background()
	stale := bson.D{{Key: "_id", Value: "intake"}, {Key: "holder", Value: "dead"}, {Key: "host", Value: "elsewhere"},
		{Key: "pid", Value: 1}, {Key: "renewed_at", Value: time.Now().Add(-writerlease.TTL - time.Second)}}
	if _, err := db.Collection(writerlease.Collection).InsertOne(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if _, err := writerlease.Acquire(ctx, db, "intake", writerlease.Process{}); err != nil {
		t.Fatalf("expired lease still blocks: %v", err)
	}
}

// A lease left by a crashed process of this host (make run after a SIGKILL)
// is taken over at once, without waiting for it to expire.
func TestALeaseOfADeadLocalProcessIsTakenOver(t *testing.T) {
	db := startStore(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	crashed := bson.D{{Key: "_id", Value: "supervision"}, {Key: "holder", Value: "crashed"}, {Key: "host", Value: host},
		{Key: "pid", Value: dead.ProcessState.Pid()}, {Key: "renewed_at", Value: time.Now()}}
	if _, err := db.Collection(writerlease.Collection).InsertOne(ctx, crashed); err != nil {
		t.Fatal(err)
	}
	if _, err := writerlease.Acquire(ctx, db, "supervision", writerlease.Process{}); err != nil {
		t.Fatalf("lease of a dead local process still blocks: %v", err)
	}
}
