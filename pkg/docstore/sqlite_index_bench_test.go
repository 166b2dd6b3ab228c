package docstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"fengqiao.dev/embedded"
)

// BenchmarkSQLiteIDIndex shows why a lookup by _id is not O(1) on FerretDB
// v1.24's SQLite backend, and what would make it so.
//
// FerretDB creates the _id index on the expression _ferretdb_sjson->"_id"
// but queries, updates and deletes by _ferretdb_sjson->'$._id'. SQLite
// matches an expression index only when the expressions are written the
// same way, so its plan for every lookup by _id is "SCAN <table>": each
// one parses the JSON of every document. The "matching index" case adds an
// index on the expression FerretDB's queries use (straight into the SQLite
// file, as nothing on the wire can) and the plan becomes "SEARCH ... USING
// INDEX"; compare its ns/op with the "ferretdb index" case.
func BenchmarkSQLiteIDIndex(b *testing.B) {
	if testing.Short() {
		b.Skip("needs the embedded store")
	}
	for _, matching := range []bool{false, true} {
		name := "ferretdb index"
		if matching {
			name = "matching index"
		}
		for _, n := range []int{100, 10_000} {
			b.Run(fmt.Sprintf("%s/docs=%d", name, n), func(b *testing.B) {
				dir := b.TempDir()
				store, err := embedded.StartStore(context.Background(), embedded.StoreOptions{Dir: dir})
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _ = store.Close() })
				c := filledCollection(b, store.URI, n)
				plan := idLookupPlan(b, dir, matching)
				b.Logf("SQLite plan of a lookup by _id: %s", plan)
				benchUpdate(b, c, n)
			})
		}
	}
}

// idLookupPlan opens the collection's SQLite file, adds the index matching
// FerretDB's _id expression if asked, and returns SQLite's plan for the
// lookup FerretDB sends.
func idLookupPlan(b *testing.B, dir string, addMatchingIndex bool) string {
	b.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if err != nil || len(files) != 1 {
		b.Fatalf("SQLite files %v (%v), want one", files, err)
	}
	db, err := sql.Open("sqlite", "file:"+files[0]+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'disputes'`).Scan(&table); err != nil {
		b.Fatalf("while finding the collection's table: %v", err)
	}
	if addMatchingIndex {
		if _, err := db.Exec(fmt.Sprintf(`CREATE INDEX %q ON %q (_ferretdb_sjson->'$._id')`, table+"_id_lookup", table)); err != nil {
			b.Fatal(err)
		}
	}
	rows, err := db.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"x"`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			b.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}
