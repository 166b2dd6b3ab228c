package embedded_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	_ "modernc.org/sqlite"

	"fengqiao.dev/embedded"
)

// The query FerretDB v1.24 sends for a find, update or delete by an exact
// _id (backends/sqlite Query with metadata.IDColumn), written as it does.
const ferretIDLookup = `SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`

const ourIndexPrefix = "fengqiao_id_lookup_"

func TestStoreIndexesIDLookupOfCollectionsExistingAtStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testCtx(t, 60*time.Second)

	// A data directory written before the store added its index: create
	// the collection, stop (perhaps before the loop indexed it), and take our
	// index away again.
	store := startStore(t, dir)
	insertDocs(t, ctx, store.URI, "intake", "disputes", 50)
	if err := store.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	table := collectionTable(t, ctx, dir, "intake", "disputes")
	execSQL(t, ctx, dir, "intake", fmt.Sprintf(`DROP INDEX IF EXISTS %q`, ourIndexPrefix+table))
	if plan := idLookupPlan(t, ctx, dir, "intake", table); usesOurIndex(plan) {
		t.Fatalf("plan after dropping the index = %q, want a scan", plan)
	}

	// Start-up indexes before it serves: no waiting.
	store = startStore(t, dir)
	defer store.Close()
	if plan := idLookupPlan(t, ctx, dir, "intake", table); !usesOurIndex(plan) {
		t.Errorf("plan at start-up = %q, want SEARCH ... USING INDEX %s%s", plan, ourIndexPrefix, table)
	}
}

func TestStoreIndexesIDLookupOfCollectionsCreatedWhileRunning(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testCtx(t, 60*time.Second)
	store := startStore(t, dir)
	defer store.Close()

	insertDocs(t, ctx, store.URI, "mediation", "rooms", 20)
	table := collectionTable(t, ctx, dir, "mediation", "rooms")
	plan := waitForOurIndex(t, ctx, dir, "mediation", table)
	if !strings.HasPrefix(plan, "SEARCH") {
		t.Errorf("plan = %q, want SEARCH", plan)
	}
}

// FerretDB drops a database by deleting its file; the loop must never
// bring it back (it opens files with mode=rw, which does not create). The
// window in which a pass could race the deletion is too short to hit on
// purpose; this pins that passes after a drop leave it alone.
func TestStoreIDIndexingLeavesDroppedDatabasesDropped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testCtx(t, 60*time.Second)
	store := startStore(t, dir)
	defer store.Close()
	client := connectTB(t, store.URI)
	defer disconnectTB(t, client)

	insertDocs(t, ctx, store.URI, "gone", "disputes", 5)
	waitForOurIndex(t, ctx, dir, "gone", collectionTable(t, ctx, dir, "gone", "disputes"))
	if err := client.Database("gone").Drop(ctx); err != nil {
		t.Fatalf("dropping the database: %v", err)
	}

	// Two collections indexed one after the other: the pass that indexed
	// the second began after the drop had returned.
	for _, name := range []string{"first", "second"} {
		insertDocs(t, ctx, store.URI, "kept", name, 5)
		waitForOurIndex(t, ctx, dir, "kept", collectionTable(t, ctx, dir, "kept", name))
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.sqlite")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("file of the dropped database after a pass: %v, want it gone", err)
	}
}

// Writes keep going while the loop creates indexes on the tables they
// write to: none may fail (a second SQLite connection must never surface as
// SQLITE_BUSY or a schema error to FerretDB's clients).
func TestStoreIDIndexingNeverFailsConcurrentWrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testCtx(t, 90*time.Second)
	store := startStore(t, dir)
	defer store.Close()
	client := connectTB(t, store.URI)
	defer disconnectTB(t, client)

	const writers, collectionsPerWriter, docsPerCollection = 4, 3, 60
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- writeCollections(ctx, client.Database("load"), w, collectionsPerWriter, docsPerCollection)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for w := range writers {
		for c := range collectionsPerWriter {
			table := collectionTable(t, ctx, dir, "load", fmt.Sprintf("w%d_c%d", w, c))
			waitForOurIndex(t, ctx, dir, "load", table)
		}
	}
}

// writeCollections creates collections one after another, each by its
// first insert, and inserts and updates documents by _id in them, pausing a
// little so the writes span several passes of the index loop.
func writeCollections(ctx context.Context, db *mongo.Database, writer, collections, docs int) error {
	for c := range collections {
		coll := db.Collection(fmt.Sprintf("w%d_c%d", writer, c))
		for i := range docs {
			id := fmt.Sprintf("d%d", i)
			if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: 1}}); err != nil {
				return fmt.Errorf("while inserting %s into %s: %w", id, coll.Name(), err)
			}
			res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}})
			if err != nil {
				return fmt.Errorf("while updating %s in %s: %w", id, coll.Name(), err)
			}
			if res.ModifiedCount != 1 {
				return fmt.Errorf("updating %s in %s modified %d documents, want 1", id, coll.Name(), res.ModifiedCount)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return nil
}

// BenchmarkStoreLookupByID measures FindOne and UpdateOne by _id through
// the real store at two collection sizes; with the _id lookup index the
// cost per operation barely depends on the size (compare docs=100 with
// docs=10000). The version-checked update (FindOne, then UpdateOne on _id
// and version) shows what FerretDB does with a filter of two fields: it
// pushes only a filter of exactly {_id: string or ObjectID} down to SQLite,
// so that update still reads the table until the match.
func BenchmarkStoreLookupByID(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		dir := b.TempDir()
		ctx := context.Background()
		store, err := embedded.StartStore(ctx, embedded.StoreOptions{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		client := connectTB(b, store.URI)
		coll := client.Database("bench").Collection("disputes")
		fillCollection(b, ctx, coll, n)
		table := collectionTable(b, ctx, dir, "bench", "disputes")
		b.Logf("docs=%d plan: %s", n, waitForOurIndex(b, ctx, dir, "bench", table))

		b.Run(fmt.Sprintf("FindOne/docs=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var doc bson.M
				if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: spreadID(i, n)}}).Decode(&doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("UpdateOne/docs=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				update := bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
				if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: spreadID(i, n)}}, update); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("UpdateOneVersionChecked/docs=%d", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				id := spreadID(i, n)
				var doc struct{ Version int64 }
				if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc); err != nil {
					b.Fatal(err)
				}
				filter := bson.D{{Key: "_id", Value: id}, {Key: "version", Value: doc.Version}}
				update := bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}}}
				if res, err := coll.UpdateOne(ctx, filter, update); err != nil || res.ModifiedCount != 1 {
					b.Fatalf("version-checked update: %v, modified %v", err, res)
				}
			}
		})
		disconnectTB(b, client)
		_ = store.Close()
	}
}

func docID(i int) string { return fmt.Sprintf("dispute-%06d", i) }

// spreadID picks the i-th document to touch so that consecutive operations
// hit documents all over the table: a scan that stops at the first match
// would look cheap if a short run only touched the first rows. 7919 is
// prime, so it walks every document of 100 or 10,000.
func spreadID(i, n int) string { return docID(i * 7919 % n) }

func fillCollection(tb testing.TB, ctx context.Context, coll *mongo.Collection, n int) {
	tb.Helper()
	const batch = 1000
	for start := 0; start < n; start += batch {
		docs := make([]any, 0, batch)
		for i := start; i < min(n, start+batch); i++ {
			docs = append(docs, bson.D{
				{Key: "_id", Value: docID(i)},
				{Key: "version", Value: int64(1)},
				{Key: "county", Value: "county-07"},
				{Key: "summary", Value: strings.Repeat("x", 200)},
			})
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			tb.Fatalf("InsertMany: %v", err)
		}
	}
}

// --- helpers ---------------------------------------------------------------

func startStore(tb testing.TB, dir string) *embedded.Store {
	tb.Helper()
	store, err := embedded.StartStore(context.Background(), embedded.StoreOptions{Dir: dir})
	if err != nil {
		tb.Fatalf("StartStore: %v", err)
	}
	tb.Cleanup(func() { _ = store.Close() })
	return store
}

func connectTB(tb testing.TB, uri string) *mongo.Client {
	tb.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(30 * time.Second))
	if err != nil {
		tb.Fatalf("mongo.Connect: %v", err)
	}
	return c
}

func disconnectTB(tb testing.TB, c *mongo.Client) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Disconnect(ctx); err != nil {
		tb.Errorf("mongo Disconnect: %v", err)
	}
}

func insertDocs(tb testing.TB, ctx context.Context, uri, database, collection string, n int) {
	tb.Helper()
	client := connectTB(tb, uri)
	defer disconnectTB(tb, client)
	fillCollection(tb, ctx, client.Database(database).Collection(collection), n)
}

// openDatabaseFile opens the SQLite file of one FerretDB database the way
// the store's own index loop does: never creating it, waiting on locks.
func openDatabaseFile(tb testing.TB, dir, database string) *sql.DB {
	tb.Helper()
	dsn := (&url.URL{
		Scheme:   "file",
		Path:     filepath.ToSlash(filepath.Join(dir, database+".sqlite")),
		RawQuery: "mode=rw&_pragma=busy_timeout(10000)",
	}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		tb.Fatalf("opening %s: %v", database, err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

func collectionTable(tb testing.TB, ctx context.Context, dir, database, collection string) string {
	tb.Helper()
	db := openDatabaseFile(tb, dir, database)
	defer db.Close()
	var table string
	if err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table); err != nil {
		tb.Fatalf("while finding the table of %s.%s: %v", database, collection, err)
	}
	return table
}

func execSQL(tb testing.TB, ctx context.Context, dir, database, q string) {
	tb.Helper()
	db := openDatabaseFile(tb, dir, database)
	defer db.Close()
	if _, err := db.ExecContext(ctx, q); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// idLookupPlan returns SQLite's plan for FerretDB's lookup by _id.
func idLookupPlan(tb testing.TB, ctx context.Context, dir, database, table string) string {
	tb.Helper()
	db := openDatabaseFile(tb, dir, database)
	defer db.Close()
	rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+fmt.Sprintf(ferretIDLookup, table), `"x"`)
	if err != nil {
		tb.Fatalf("EXPLAIN QUERY PLAN: %v", err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			tb.Fatalf("reading the plan: %v", err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		tb.Fatalf("reading the plan: %v", err)
	}
	return strings.Join(steps, "; ")
}

func usesOurIndex(plan string) bool {
	return strings.HasPrefix(plan, "SEARCH") && strings.Contains(plan, "USING INDEX "+ourIndexPrefix)
}

// waitForOurIndex polls the plan until the store's loop has indexed the
// table; ctx bounds the wait (the loop runs every second or two).
func waitForOurIndex(tb testing.TB, ctx context.Context, dir, database, table string) string {
	tb.Helper()
	for {
		plan := idLookupPlan(tb, ctx, dir, database, table)
		if usesOurIndex(plan) {
			return plan
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("%s.%s never got the _id lookup index; last plan %q", database, table, plan)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
