package docstore_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"fengqiao.dev/embedded"
	"fengqiao.dev/pkg/internal/testkit"
)

// storeURI is the one FerretDB the tests of this package share, each test
// in a database of its own.
var storeURI string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	os.Exit(runWithStore(m))
}

func runWithStore(m *testing.M) int {
	dir, err := os.MkdirTemp("", "fengqiao-docstore-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer store.Close()
	storeURI = store.URI
	return m.Run()
}

func sharedStore(t testing.TB) string {
	t.Helper()
	testkit.SkipShort(t)
	return storeURI
}
