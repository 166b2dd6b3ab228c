package embedded

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A private PostgreSQL cluster for FerretDB's postgresql handler: initialised
// once under the store's data directory, served only on a unix socket in a
// directory no one else may enter (so trust authentication admits only this
// process and the cluster's own user), and stopped with the store.

const (
	// postgresDataSubdir is the cluster's directory inside StoreOptions.Dir.
	postgresDataSubdir = "postgresql"

	// postgresReadyTimeout bounds the wait for a starting cluster: a
	// cluster that was not shut down cleanly replays its WAL first.
	postgresReadyTimeout = 2 * time.Minute

	// postgresStopTimeout bounds a fast shutdown before the cluster is
	// killed (it then recovers from its WAL on the next start).
	postgresStopTimeout = 30 * time.Second

	// postgresDatabase is the database FerretDB keeps its schemas in (one
	// per MongoDB database); initdb creates it.
	postgresDatabase = "postgres"

	// postgresSuperuser is the cluster's superuser, whatever the OS user.
	postgresSuperuser = "postgres"
)

// PostgreSQLNotFound is wrapped by StartStore's error when the PostgreSQL
// backend is asked for and its programs are not installed.
var PostgreSQLNotFound = errors.New("PostgreSQL's initdb and postgres not found on PATH or in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)")

// postgresCluster is a running postgres server process.
type postgresCluster struct {
	dataDir   string
	socketDir string
	cmd       *exec.Cmd
	exited    chan struct{}
	logger    *slog.Logger
}

// postgresBinDir returns the directory holding initdb and postgres: PATH
// first, then Debian's versioned directories, newest first.
func postgresBinDir() (string, error) {
	if p, err := exec.LookPath("postgres"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return postgresMajor(b) - postgresMajor(a) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "postgres")) && isExecutable(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	return "", PostgreSQLNotFound
}

func postgresMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// postgresOSUser is who the server runs as: postgres refuses to run as root,
// so root hands the cluster to the "postgres" account Debian's package
// creates. Nil means the current user.
func postgresOSUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL does not run as root and there is no postgres user to run it as (Debian's postgresql package creates it): %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("cannot read the postgres user's ids: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// startPostgres initialises the cluster under dir on first use and starts
// it. It returns once the server accepts connections.
func startPostgres(ctx context.Context, dir string, logger *slog.Logger) (*postgresCluster, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := postgresOSUser()
	if err != nil {
		return nil, err
	}
	pc := &postgresCluster{dataDir: filepath.Join(dir, postgresDataSubdir), exited: make(chan struct{}), logger: logger}
	if err := makeTraversable(pc.dataDir, cred); err != nil {
		return nil, err
	}
	if err := pc.initOnce(ctx, bin, cred); err != nil {
		return nil, err
	}
	// A socket path may not exceed 107 bytes, which a test's data directory
	// easily does; a short private directory under the system's temporary
	// one holds it instead.
	if pc.socketDir, err = os.MkdirTemp("", "fengqiao-pg-"); err != nil {
		return nil, fmt.Errorf("cannot create the PostgreSQL socket directory: %w", err)
	}
	if err := chownTo(pc.socketDir, cred); err != nil {
		_ = os.RemoveAll(pc.socketDir)
		return nil, err
	}
	if err := pc.start(ctx, bin, cred); err != nil {
		_ = os.RemoveAll(pc.socketDir)
		return nil, err
	}
	return pc, nil
}

// initOnce runs initdb when the cluster directory holds no cluster yet.
func (pc *postgresCluster) initOnce(ctx context.Context, bin string, cred *syscall.Credential) error {
	if _, err := os.Stat(filepath.Join(pc.dataDir, "PG_VERSION")); err == nil {
		return chownTree(pc.dataDir, cred) // a copy made by root must stay the server's
	}
	// initdb wants an empty directory; a previous attempt may have left
	// a partial one behind.
	if err := os.RemoveAll(pc.dataDir); err != nil {
		return fmt.Errorf("cannot clear a partial PostgreSQL cluster: %w", err)
	}
	if err := os.MkdirAll(pc.dataDir, 0o700); err != nil {
		return fmt.Errorf("cannot create the PostgreSQL directory: %w", err)
	}
	if err := chownTo(pc.dataDir, cred); err != nil {
		return err
	}
	// The C locale and UTF-8 are what FerretDB accepts; trust is safe
	// because the server listens only on the private socket.
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", pc.dataDir, "-U", postgresSuperuser, "-A", "trust", "-E", "UTF8", "--locale=C")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = pc.dataDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("while initialising the PostgreSQL cluster in %s: %w: %s", pc.dataDir, err, lastLines(out, 5))
	}
	return nil
}

// start runs the server as a child that dies with this process.
func (pc *postgresCluster) start(ctx context.Context, bin string, cred *syscall.Credential) error {
	args := []string{
		"-D", pc.dataDir,
		"-k", pc.socketDir,
		"-c", "listen_addresses=",
		"-c", "unix_socket_permissions=0700",
		// FerretDB pushes a filter on a field down as the parameterised
		// _jsonb->$1 @> $2, which only a plan made with the values can
		// match to the _id index added below.
		"-c", "plan_cache_mode=force_custom_plan",
		"-c", "max_connections=200",
		"-c", "logging_collector=off",
		"-c", "log_min_messages=warning",
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	cmd.Dir = pc.dataDir
	var stderr lockedTail
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	if err := pc.run(cmd); err != nil {
		return err
	}
	if err := pc.waitReady(ctx); err != nil {
		pc.stop()
		return fmt.Errorf("while starting PostgreSQL in %s: %w: %s", pc.dataDir, err, stderr.String())
	}
	if err := pc.installIDIndexTrigger(ctx, bin, cred); err != nil {
		pc.stop()
		return err
	}
	return nil
}

// run starts cmd and waits for it in a goroutine locked to the OS thread
// that started it: Linux sends the parent-death signal when that thread
// exits, not the process, and the Go runtime may end an idle thread that
// is not locked.
func (pc *postgresCluster) run(cmd *exec.Cmd) error {
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("cannot start PostgreSQL: %w", err)
			return
		}
		pc.cmd = cmd
		runningMu.Lock()
		running[cmd.Process.Pid] = true
		runningMu.Unlock()
		started <- nil
		_ = cmd.Wait()
		runningMu.Lock()
		delete(running, cmd.Process.Pid)
		runningMu.Unlock()
		close(pc.exited)
	}()
	return <-started
}

// waitReady polls for the socket; the server creates it once it accepts
// connections (after any crash recovery).
func (pc *postgresCluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(postgresReadyTimeout)
	pid := filepath.Join(pc.dataDir, "postmaster.pid")
	for {
		if b, err := os.ReadFile(pid); err == nil && postmasterReady(b) {
			return nil
		}
		select {
		case <-pc.exited:
			return errors.New("the server exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s", postgresReadyTimeout)
		}
	}
}

// postmasterReady reads the status line PostgreSQL (10+) writes last into
// postmaster.pid.
func postmasterReady(pidFile []byte) bool {
	lines := strings.Split(strings.TrimSpace(string(pidFile)), "\n")
	return len(lines) >= 8 && strings.TrimSpace(lines[7]) == "ready"
}

// idIndexTrigger gives every table FerretDB creates for a collection a GIN
// index on _jsonb->'_id', inside the CREATE TABLE's own transaction.
// FerretDB indexes _id with a btree on that expression, which serves its
// updates and deletes (_jsonb->'_id' = $2) but not its finds, which test
// containment (_jsonb->'_id' @> '"id"'); without this a find by _id reads
// the whole table.
const idIndexTrigger = `
CREATE OR REPLACE FUNCTION fengqiao_index_id_lookup() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE obj record;
BEGIN
  FOR obj IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = obj.objid AND attname = '_jsonb' AND NOT attisdropped) THEN
      EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb->''_id'') jsonb_path_ops)', obj.object_identity);
    END IF;
  END LOOP;
END $$;
DROP EVENT TRIGGER IF EXISTS fengqiao_index_id_lookup;
CREATE EVENT TRIGGER fengqiao_index_id_lookup ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION fengqiao_index_id_lookup();
`

// installIDIndexTrigger installs idIndexTrigger with psql when it is
// missing (once per cluster; it is idempotent).
func (pc *postgresCluster) installIDIndexTrigger(ctx context.Context, bin string, cred *syscall.Credential) error {
	marker := filepath.Join(pc.dataDir, "fengqiao_id_index_trigger")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	psql := filepath.Join(bin, "psql")
	if !isExecutable(psql) {
		if p, err := exec.LookPath("psql"); err == nil {
			psql = p
		}
	}
	cmd := exec.CommandContext(ctx, psql, "-X", "-q", "-v", "ON_ERROR_STOP=1",
		"-h", pc.socketDir, "-U", postgresSuperuser, "-d", postgresDatabase, "-f", "-")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = pc.dataDir
	cmd.Stdin = strings.NewReader(idIndexTrigger)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("while installing the _id index trigger in PostgreSQL: %w: %s", err, lastLines(out, 5))
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		return fmt.Errorf("cannot mark the _id index trigger installed: %w", err)
	}
	return nil
}

// url is the connection string FerretDB's postgresql handler uses.
func (pc *postgresCluster) url() string {
	q := url.Values{"host": {pc.socketDir}}
	return (&url.URL{Scheme: "postgres", User: url.User(postgresSuperuser), Path: "/" + postgresDatabase, RawQuery: q.Encode()}).String()
}

// stop shuts the server down (fast: open sessions are ended, the data is
// flushed) and removes the socket directory. Idempotent.
func (pc *postgresCluster) stop() {
	if pc.cmd != nil && pc.cmd.Process != nil {
		_ = pc.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-pc.exited:
		case <-time.After(postgresStopTimeout):
			pc.logger.Warn("PostgreSQL did not stop in time; killed, it recovers on the next start", "timeout", postgresStopTimeout)
			_ = syscall.Kill(-pc.cmd.Process.Pid, syscall.SIGKILL)
			<-pc.exited
		}
	}
	if pc.socketDir != "" {
		_ = os.RemoveAll(pc.socketDir)
	}
}

// chownTo hands path to cred's user (nil: leave it).
func chownTo(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("cannot hand %s to the postgres user: %w", path, err)
	}
	return nil
}

// makeTraversable lets cred's user pass through every directory above
// path (search permission only, not listing): a test's temporary
// directory is 0700 and owned by root, and the server must reach its
// cluster inside it.
func makeTraversable(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("cannot check %s: %w", dir, err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(dir, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("cannot let the postgres user through %s: %w", dir, err)
			}
		}
		if parent := filepath.Dir(dir); parent == dir {
			return nil
		}
	}
}

func chownTree(root string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	return filepath.WalkDir(root, func(path string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return chownTo(path, cred)
	})
}

func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "; ")
}

// lockedTail keeps the last few KB a child wrote to stderr, for errors.
type lockedTail struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *lockedTail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > 4096 {
		t.buf.Next(t.buf.Len() - 4096)
	}
	return len(p), nil
}

func (t *lockedTail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return lastLines(t.buf.Bytes(), 5)
}

// ServerCPU is the CPU time used so far by the PostgreSQL servers this
// process started and still runs (each server and its backends), for
// measurements that must charge a backend's work outside the process.
// Zero when there are none or outside Linux.
func ServerCPU() time.Duration {
	runningMu.Lock()
	groups := slices.Collect(maps.Keys(running))
	runningMu.Unlock()
	if len(groups) == 0 {
		return 0
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis: state ppid pgrp
		// ... utime (14th of the line) stime (15th).
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 13 {
			continue
		}
		pgrp, _ := strconv.Atoi(f[2])
		if !slices.Contains(groups, pgrp) {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += ut + st
	}
	return time.Duration(ticks) * time.Second / clockTicksPerSecond
}

// clockTicksPerSecond is USER_HZ, 100 on every Linux Go supports.
const clockTicksPerSecond = 100

// running holds the process groups of the servers this process runs.
var (
	runningMu sync.Mutex
	running   = map[int]bool{}
)
