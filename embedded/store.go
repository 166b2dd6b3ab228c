package embedded

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Backend names what FerretDB keeps the documents in.
type Backend string

const (
	// BackendSQLite keeps one SQLite file per database in the store's
	// directory, inside this process.
	BackendSQLite Backend = "sqlite"

	// BackendPostgreSQL runs a private PostgreSQL cluster under the
	// store's directory (initdb on first use; the server is a child
	// process on a private unix socket, stopped with the store). It needs
	// PostgreSQL's programs (Debian: apt-get install postgresql).
	BackendPostgreSQL Backend = "postgresql"
)

// ParseBackend reads a backend's name; empty means BackendSQLite.
func ParseBackend(name string) (Backend, error) {
	switch b := Backend(strings.ToLower(strings.TrimSpace(name))); b {
	case "":
		return BackendSQLite, nil
	case BackendSQLite, BackendPostgreSQL:
		return b, nil
	default:
		return "", fmt.Errorf("unknown store backend %q (want %q or %q)", name, BackendSQLite, BackendPostgreSQL)
	}
}

// StoreOptions configures [StartStore].
type StoreOptions struct {
	// Dir holds the data: the SQLite files (one per database), or the
	// PostgreSQL cluster in Dir/postgresql. It is created if missing.
	// Required: the store always persists.
	Dir string

	// Backend is BackendSQLite (the zero value) or BackendPostgreSQL.
	Backend Backend

	// Addr is the listen address; default "127.0.0.1:0" (random free port).
	// The host must be loopback.
	Addr string

	// Logger receives the store's logs; nil discards them.
	Logger *slog.Logger

	// Verbose passes Info and Debug logs through; by default only
	// warnings and errors reach Logger (FerretDB logs every connection
	// at Info).
	Verbose bool
}

// Store is a running MongoDB-wire-protocol server: FerretDB v1 on SQLite
// or on a private PostgreSQL.
//
// It answers as MongoDB 7.0 and covers CRUD, simple aggregation and
// indexes, but has no transactions, no change streams and no replica set
// (do not put replicaSet= in the URI), and several update operators and
// query shapes are missing or differ: see the package documentation.
type Store struct {
	// URI is the connection string, e.g. "mongodb://127.0.0.1:40123/".
	URI string

	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
	idIndexer *idIndexer       // SQLite only
	postgres  *postgresCluster // PostgreSQL only
}

// ferretNewMu serialises ferretdb.New, which writes a package-level variable
// (version.Get().Package) and would race when two stores start at once.
var ferretNewMu sync.Mutex

// StartStore starts a store as described by opts and returns once it accepts
// connections (the port is bound before it returns). ctx is only checked
// before starting; stop the store with [Store.Close]. Errors read "while
// starting mongo store: ...".
func StartStore(ctx context.Context, opts StoreOptions) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("while starting mongo store: %w", err)
	}
	if opts.Dir == "" {
		return nil, fmt.Errorf("while starting mongo store: no data directory given")
	}
	addr, err := loopbackAddr(opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("while starting mongo store: %w", err)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("while starting mongo store: resolving data directory %q: %w", opts.Dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("while starting mongo store: creating data directory: %w", err)
	}

	// ferretdb.New opens the SQLite backend before it binds the port, and
	// when binding fails it does not close that backend, whose finalizer
	// then panics (crashing the process) at the next garbage collection. So
	// make sure the port is free first. With port 0 the kernel picks a free
	// port and this cannot fail; with a fixed port a rival could still grab
	// it between this check and New, a window of microseconds.
	if probe, err := net.Listen("tcp", addr); err != nil {
		return nil, fmt.Errorf("while starting mongo store: %w", err)
	} else if err := probe.Close(); err != nil {
		return nil, fmt.Errorf("while starting mongo store: releasing port probe: %w", err)
	}

	backend, err := ParseBackend(string(opts.Backend))
	if err != nil {
		return nil, fmt.Errorf("while starting mongo store: %w", err)
	}
	logger := newIndexerLogger(opts.Logger, opts.Verbose)
	s := &Store{done: make(chan struct{})}
	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: addr},
		Logger:   newStoreLogger(opts.Logger, opts.Verbose),
		Handler:  string(backend),
	}
	switch backend {
	case BackendPostgreSQL:
		if s.postgres, err = startPostgres(ctx, dir, logger); err != nil {
			return nil, fmt.Errorf("while starting mongo store (data %q): %w", dir, err)
		}
		cfg.PostgreSQLURL = s.postgres.url()
	default:
		// FerretDB wants a "file:" URI naming an existing directory and
		// ending in a slash; it opens one SQLite file per database inside it.
		cfg.SQLiteURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
		// FerretDB's own _id index does not serve its own lookups by _id
		// (see idindex.go); add one that does before FerretDB opens the files.
		if err := indexExistingCollections(ctx, dir, logger); err != nil {
			return nil, fmt.Errorf("while starting mongo store (data %q): %w", dir, err)
		}
	}

	ferretNewMu.Lock()
	f, err := ferretdb.New(&cfg)
	ferretNewMu.Unlock()
	if err != nil {
		if s.postgres != nil {
			s.postgres.stop()
		}
		return nil, fmt.Errorf("while starting mongo store on %s (data %q): %w", addr, dir, err)
	}
	if backend == BackendSQLite {
		s.idIndexer = startIDIndexer(dir, logger)
	}

	// The listener is bound by New, so the URI (with the real port) is
	// known before Run; Run serves until its context is cancelled, then
	// closes the listener, waits for connections and closes SQLite.
	runCtx, cancel := context.WithCancel(context.Background())
	s.URI, s.cancel = f.MongoDBURI(), cancel
	go func() {
		defer close(s.done)
		_ = f.Run(runCtx) // always nil
	}()
	return s, nil
}

// Close stops the store: it stops accepting connections, gives connected
// clients up to 3 seconds to disconnect, drops them, and closes the SQLite
// databases. Disconnect clients first for a fast Close. It is idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		// The indexer's connections must be gone before FerretDB closes
		// (and, for a temporary directory, the caller removes) the files.
		if s.idIndexer != nil {
			s.idIndexer.stop()
		}
		s.cancel()
		<-s.done
		if s.postgres != nil {
			s.postgres.stop()
		}
	})
	return nil
}

// newStoreLogger returns the slog.Logger handed to FerretDB.
func newStoreLogger(l *slog.Logger, verbose bool) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	h := l.Handler()
	if !verbose {
		h = quietFerretHandler{minLevelHandler{Handler: h, min: slog.LevelWarn}}
	}
	return slog.New(h).With(slog.String("component", "ferretdb"))
}

// newIndexerLogger returns the logger of the _id index loop; its Debug
// lines (one per indexed collection) pass only with verbose.
func newIndexerLogger(l *slog.Logger, verbose bool) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	h := l.Handler()
	if !verbose {
		h = minLevelHandler{Handler: h, min: slog.LevelWarn}
	}
	return slog.New(h).With(slog.String("component", "mongo-id-index"))
}

// quietFerretHandler drops FerretDB's dumps of error responses. FerretDB
// logs every response with ok:0 (a duplicate key, an unsupported command
// such as the driver's endSessions on Disconnect) at Warn, as two records
// holding the whole wire message. The client receives that error anyway, so
// outside Verbose they are noise. Dumps at Error (the connection is being
// closed) are kept.
type quietFerretHandler struct{ minLevelHandler }

func (h quietFerretHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelError &&
		(strings.HasPrefix(r.Message, "Response header: ") || strings.HasPrefix(r.Message, "Response message:")) {
		return nil
	}
	if isUniqueViolationTrace(r) {
		return nil
	}
	return h.minLevelHandler.Handle(ctx, r)
}

// isUniqueViolationTrace tells the PostgreSQL driver's trace of a statement
// refused for a duplicate key (SQLSTATE 23505). FerretDB logs every failed
// statement at Error, but a refused insert is an answer the client gets
// and expects (intake claims case codes that way), not a fault: under load
// these lines outnumbered all others a thousandfold.
func isUniqueViolationTrace(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" && strings.Contains(a.Value.String(), "(SQLSTATE 23505)") {
			found = true
			return false
		}
		return true
	})
	return found
}

func (h quietFerretHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quietFerretHandler{h.minLevelHandler.WithAttrs(attrs).(minLevelHandler)}
}

func (h quietFerretHandler) WithGroup(name string) slog.Handler {
	return quietFerretHandler{h.minLevelHandler.WithGroup(name).(minLevelHandler)}
}

// minLevelHandler drops records below min. It makes the WithAttrs and
// WithGroup calls on the handler it wraps only when a record passes:
// FerretDB derives a logger with the statement and its arguments (whole
// documents) for every SQL statement it runs, and a text or JSON handler
// formats those attributes as soon as they are added, which cost about an
// eighth of the CPU of a bulk insert for lines that are then dropped.
type minLevelHandler struct {
	slog.Handler
	min slog.Level
	// deferred are the derivations not yet made on Handler, in order.
	deferred []func(slog.Handler) slog.Handler
}

func (h minLevelHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= h.min && h.Handler.Enabled(ctx, level)
}

func (h minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.Handler
	for _, derive := range h.deferred {
		inner = derive(inner)
	}
	return inner.Handle(ctx, r)
}

func (h minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.derived(func(inner slog.Handler) slog.Handler { return inner.WithAttrs(attrs) })
}

func (h minLevelHandler) WithGroup(name string) slog.Handler {
	return h.derived(func(inner slog.Handler) slog.Handler { return inner.WithGroup(name) })
}

func (h minLevelHandler) derived(derive func(slog.Handler) slog.Handler) minLevelHandler {
	return minLevelHandler{Handler: h.Handler, min: h.min, deferred: append(slices.Clip(h.deferred), derive)}
}

// loopbackAddr validates a listen address and fills in the default
// "127.0.0.1:0". The host must be "localhost" or a loopback IP; an empty
// host means 127.0.0.1.
func loopbackAddr(addr string) (string, error) {
	if addr == "" {
		return "127.0.0.1:0", nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("invalid listen address %q: %w", addr, err)
	}
	switch {
	case host == "":
		host = "127.0.0.1"
	case host == "localhost":
	default:
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return "", fmt.Errorf("listen address %q: host must be loopback (127.0.0.1, ::1 or localhost)", addr)
		}
	}
	return net.JoinHostPort(host, port), nil
}
