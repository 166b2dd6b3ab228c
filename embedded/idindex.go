package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// FerretDB v1.24's SQLite backend indexes _id on the expression
// _ferretdb_sjson->"_id" but looks documents up by _ferretdb_sjson->'$._id'
// (see metadata.IDColumn). SQLite uses an expression index only when the
// query spells the expression identically, so without a second index every
// find, update and delete by _id reads the whole table. These constants
// must match what FerretDB emits, character for character.
const (
	// idLookupExpression is FerretDB's metadata.IDColumn.
	idLookupExpression = `_ferretdb_sjson->'$._id'`

	// idLookupIndexPrefix starts the name of the index we add, so that it
	// is visibly ours: FerretDB names its own indexes "<table>_<mongo index
	// name>" and lists to clients only those in its metadata, so ours stays
	// invisible on the wire.
	idLookupIndexPrefix = "fengqiao_id_lookup_"

	// collectionsTable is FerretDB's metadata table of each database file:
	// one row per collection, naming its table.
	collectionsTable = "_ferretdb_collections"

	// idIndexInterval is how often the store looks for collections created
	// since its last pass. A collection is scanned by _id lookups only
	// until the next pass, so a second or two is plenty.
	idIndexInterval = 1500 * time.Millisecond

	// sqliteBusyTimeout is FerretDB's own busy timeout: our rare writes
	// (one CREATE INDEX per new collection) wait for FerretDB's, and
	// FerretDB's wait for ours, instead of failing with SQLITE_BUSY.
	sqliteBusyTimeout = 10 * time.Second
)

// idIndexer gives every collection table in the store's data directory an
// index on FerretDB's _id lookup expression, at start-up and then every
// idIndexInterval for collections created while the store runs.
type idIndexer struct {
	dir    string
	logger *slog.Logger

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// indexExistingCollections runs one pass synchronously, before FerretDB
// opens the files, so tables that exist at start-up never serve a lookup
// without the index.
func indexExistingCollections(ctx context.Context, dir string, logger *slog.Logger) error {
	return (&idIndexer{dir: dir, logger: logger}).pass(ctx)
}

// startIDIndexer starts the background loop; stop it with stop before
// FerretDB closes its databases.
func startIDIndexer(dir string, logger *slog.Logger) *idIndexer {
	ctx, cancel := context.WithCancel(context.Background())
	ix := &idIndexer{dir: dir, logger: logger, cancel: cancel, done: make(chan struct{})}
	go ix.loop(ctx)
	return ix
}

// stop ends the loop and waits for a pass under way. Idempotent.
func (ix *idIndexer) stop() {
	ix.once.Do(func() {
		ix.cancel()
		<-ix.done
	})
}

func (ix *idIndexer) loop(ctx context.Context) {
	defer close(ix.done)
	ticker := time.NewTicker(idIndexInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := ix.pass(ctx); err != nil && ctx.Err() == nil {
				ix.logger.Warn("cannot index _id lookups of new collections", slog.Any("error", err))
			}
		}
	}
}

// pass indexes every collection missing the index in every database file.
// A failing file does not stop the others; the next pass retries it.
func (ix *idIndexer) pass(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(ix.dir, "*.sqlite"))
	if err != nil {
		return fmt.Errorf("while listing database files: %w", err)
	}
	var errs []error
	for _, file := range files {
		if err := ix.indexFile(ctx, file); err != nil {
			errs = append(errs, fmt.Errorf("while indexing %s: %w", filepath.Base(file), err))
		}
	}
	return errors.Join(errs...)
}

// indexFile opens its own short-lived connection to one database file.
// It does not keep the file open between passes: FerretDB drops a database
// by closing it and deleting the file, and a connection of ours held across
// that would keep the deleted file (and its WAL) alive. mode=rw never
// creates a file, so a database dropped since the glob stays dropped.
func (ix *idIndexer) indexFile(ctx context.Context, file string) error {
	dsn := (&url.URL{
		Scheme:   "file",
		Path:     filepath.ToSlash(file),
		RawQuery: fmt.Sprintf("mode=rw&_pragma=busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()),
	}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("cannot open: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	tables, err := tablesWithoutIDLookupIndex(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range tables {
		if err := createIDLookupIndex(ctx, db, table); err != nil {
			return err
		}
		ix.logger.Debug("indexed _id lookups", slog.String("file", filepath.Base(file)), slog.String("table", table))
	}
	return nil
}

// tablesWithoutIDLookupIndex lists the collection tables of one database
// that still lack our index. A file whose metadata table does not exist yet
// (FerretDB is creating the database right now) has none.
func tablesWithoutIDLookupIndex(ctx context.Context, db *sql.DB) ([]string, error) {
	q := fmt.Sprintf(`SELECT c.table_name FROM %q AS c
		JOIN sqlite_schema AS t ON t.type = 'table' AND t.name = c.table_name
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_schema AS i WHERE i.type = 'index' AND i.name = ? || c.table_name)`,
		collectionsTable)
	rows, err := db.QueryContext(ctx, q, idLookupIndexPrefix)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, nil
		}
		return nil, fmt.Errorf("cannot list collection tables: %w", err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			return nil, fmt.Errorf("cannot read collection table name: %w", err)
		}
		tables = append(tables, table)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot list collection tables: %w", err)
	}
	return tables, nil
}

// createIDLookupIndex adds the index. IF NOT EXISTS and ignoring a table
// dropped since it was listed make the race with FerretDB harmless.
func createIDLookupIndex(ctx context.Context, db *sql.DB, table string) error {
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, idLookupIndexPrefix+table, table, idLookupExpression)
	if _, err := db.ExecContext(ctx, q); err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return fmt.Errorf("cannot create _id lookup index on %s: %w", table, err)
	}
	return nil
}
