package docstore_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// startPostgresFerret runs FerretDB v1 over the PostgreSQL database at pgURL
// (FENGQIAO_BENCH_POSTGRES_URL) on a free loopback port for the benchmark's
// lifetime and returns its MongoDB URI. The embedded stack does not offer
// this backend; it is here only to measure it against SQLite.
func startPostgresFerret(b *testing.B, pgURL string) string {
	b.Helper()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:        slog.New(slog.DiscardHandler),
		Handler:       "postgresql",
		PostgreSQLURL: pgURL,
	})
	if err != nil {
		b.Fatalf("while starting FerretDB on PostgreSQL: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	b.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			b.Log(errors.New("FerretDB on PostgreSQL did not stop within 10 s"))
		}
	})
	return f.MongoDBURI()
}
