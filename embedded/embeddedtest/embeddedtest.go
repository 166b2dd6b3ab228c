// Package embeddedtest starts the embedded broker and store for a test.
//
//	func TestSomething(t *testing.T) {
//		stack := embeddedtest.Start(t)
//		// stack.Brokers, stack.MongoURI
//	}
//
// Each call starts a fresh, ephemeral stack on random loopback ports, so
// tests may run in parallel; it is stopped (and its data removed) by
// t.Cleanup. Cleanups run last-in first-out, so register client
// disconnects after calling Start and they run before the stack stops.
package embeddedtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fengqiao.dev/embedded"
)

// VerboseEnv, when set to a non-empty value in the environment, makes
// [Start] pass the broker's and store's logs (all levels) to t.Log.
const VerboseEnv = "FENGQIAO_EMBEDDED_VERBOSE"

// Start starts an ephemeral stack for t and stops it in t.Cleanup. It fails
// the test (t.Fatal) if the stack cannot start. Warnings and errors of the
// broker and store are written to t.Log; set FENGQIAO_EMBEDDED_VERBOSE=1 to
// see everything.
func Start(t testing.TB) *embedded.Stack {
	t.Helper()
	return StartWith(t, embedded.Options{})
}

// StartWith is [Start] with options; a nil opts.Logger is replaced by one
// writing to t.Log. Give opts.DataDir (e.g. t.TempDir()) to restart a stack
// on the same data within a test.
func StartWith(t testing.TB, opts embedded.Options) *embedded.Stack {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if os.Getenv(VerboseEnv) != "" {
		opts.Verbose = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stack, err := embedded.Start(ctx, opts)
	if err != nil {
		t.Fatalf("embeddedtest: %v", err)
	}
	t.Cleanup(func() {
		if err := stack.Close(); err != nil {
			t.Errorf("embeddedtest: %v", err)
		}
	})
	return stack
}

// tWriter sends log lines to t.Log, and drops them once the test is over
// (t.Log panics after the test has completed; the servers may log late).
type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	defer func() { _ = recover() }()
	w.t.Log(string(p))
	return len(p), nil
}

// StoreClient starts the embedded store alone, without a broker, for t
// and returns a client connected to it; both are closed in t.Cleanup. It
// suits a test of a service's store use that publishes nothing.
func StoreClient(t testing.TB) *mongo.Client {
	t.Helper()
	store, err := embedded.StartStore(context.Background(), embedded.StoreOptions{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	client, err := mongo.Connect(options.Client().ApplyURI(store.URI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client
}

// Database is a database of its own on an embedded store started for t
// (StoreClient), for a test of a service's store use that publishes
// nothing. It is skipped with -short.
func Database(t testing.TB, name string) *mongo.Database {
	t.Helper()
	if testing.Short() {
		t.Skip("needs the embedded store")
	}
	return StoreClient(t).Database(name)
}

// AmongStored runs bench once with 100 and once with 10,000 records
// already stored, each on a database of its own in one embedded store, as
// sub-benchmarks named "100 <what>" and "10000 <what>": a speed target
// that must not grow with what a county has stored compares the two.
// FENGQIAO_BENCH_STORED ("100,100000") names other sizes: a county's
// year is about 10,000 disputes, and 100,000 is ten such years. bench
// stores the records itself. It is skipped with -short.
func AmongStored(b *testing.B, what string, bench func(b *testing.B, db *mongo.Database, stored int)) {
	if testing.Short() {
		b.Skip("needs the embedded store")
	}
	sizes, err := storedSizes(os.Getenv("FENGQIAO_BENCH_STORED"))
	if err != nil {
		b.Fatal(err)
	}
	client := StoreClient(b)
	for _, stored := range sizes {
		b.Run(fmt.Sprintf("%d %s", stored, what), func(b *testing.B) {
			bench(b, client.Database(fmt.Sprintf("bench_%d", stored)), stored)
		})
	}
}

// storedSizes reads a list of record counts ("100,100000"); empty is 100
// and 10,000.
func storedSizes(spec string) ([]int, error) {
	if spec == "" {
		return []int{100, 10_000}, nil
	}
	var sizes []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("FENGQIAO_BENCH_STORED: %q is not a count of records", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
