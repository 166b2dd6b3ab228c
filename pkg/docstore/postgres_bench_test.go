package docstore_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"fengqiao.dev/embedded"
)

// postgresStore starts the embedded store on its PostgreSQL backend in a
// temporary directory for the benchmark's lifetime and returns its URI, or
// skips the benchmark where PostgreSQL is not installed.
func postgresStore(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp("", "fengqiao-docstore-bench-pg-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir, Backend: embedded.BackendPostgreSQL})
	if errors.Is(err, embedded.PostgreSQLNotFound) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s.URI
}
