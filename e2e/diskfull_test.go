package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The disk-full fault: every write of the platform to its data directory
// refused, then allowed again.
//
// The platform runs as fengqiao-dev in its own process, store on SQLite,
// so that one process writes every file of the data directory (the
// broker's segments and group log, the store's databases). The fault
// lowers that process's RLIMIT_FSIZE to 0 with prlimit(2): from then on
// every write to a regular file fails with EFBIG ("file too large"), as
// each would fail with ENOSPC on a full disk (Go ignores SIGXFSZ, so the
// process lives on). Space returns when the limit is raised back to its
// hard limit. Afterwards the platform is killed and started again on the
// same files, which must load and hold every accepted dispute whole. This
// needs neither root nor a mount, leaves nothing behind if
// the test dies, and cannot fill the disk of the machine running it; see
// docs/reliability.md for the alternatives and why not them.

// storageFullType is the problem type of a write refused for want of space.
const storageFullType = "https://fengqiao.dev/problems/storage-full"

// fullFor is how long the data directory stays full.
const fullFor = 15 * time.Second

// answers counts what the driver was told about the requests it had in
// flight while the disk was full.
type answers struct {
	mu          sync.Mutex
	from, until time.Time      // the disk full; until is zero while it lasts
	storageFull int            // 503 storage-full problems
	slowest     time.Duration  // the longest wait for an answer
	slowestWhat string         // and what it was
	otherErrors map[string]int // any other 5xx, or no answer at all, by kind
}

func (a *answers) fill() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.from = time.Now()
}

func (a *answers) free() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.until = time.Now()
}

func (a *answers) observe(method, path string, sent time.Time, status int, answer map[string]any, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	answered := time.Now()
	if a.from.IsZero() || answered.Before(a.from) || (!a.until.IsZero() && sent.After(a.until)) {
		return // not in flight while the disk was full
	}
	if took := answered.Sub(sent); took > a.slowest {
		a.slowest, a.slowestWhat = took, fmt.Sprintf("%s %s: %d", method, route(path), status)
	}
	switch {
	case err != nil && status == 0:
		a.otherErrors[fmt.Sprintf("%s %s: no answer (%v)", method, route(path), err)]++
	case status == http.StatusServiceUnavailable && answer["type"] == storageFullType:
		a.storageFull++
	case status >= 500:
		a.otherErrors[fmt.Sprintf("%s %s: %d %v", method, route(path), status, answer["type"])]++
	}
}

// check fails t unless every request in flight while the disk was full
// was answered with a success or a 503 storage-full, and one was refused.
func (a *answers) check(t *testing.T) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.storageFull == 0 {
		t.Errorf("no write was answered 503 %s while the disk was full", storageFullType)
	}
	for kind, n := range a.otherErrors {
		t.Errorf("while the disk was full, %d × %s; want 503 %s or a success", n, kind, storageFullType)
	}
	t.Logf("while the disk was full: %d writes answered 503 storage-full; the slowest answer took %s (%s)",
		a.storageFull, a.slowest.Round(time.Millisecond), a.slowestWhat)
}

// route drops a path's identifiers, so that answers group by route.
func route(path string) string {
	parts := strings.Split(path, "/")
	if len(parts) > 3 {
		parts[3] = "{id}"
	}
	return strings.Join(parts, "/")
}

// fillDisk makes every write of the platform's process to a regular file
// fail, by lowering its soft RLIMIT_FSIZE to 0.
func (s *subprocess) fillDisk() error {
	return s.setFileSizeLimit(func(unix.Rlimit) uint64 { return 0 })
}

// freeDisk raises the soft RLIMIT_FSIZE back to the hard limit.
func (s *subprocess) freeDisk() error {
	return s.setFileSizeLimit(func(l unix.Rlimit) uint64 { return l.Max })
}

// setFileSizeLimit sets the soft RLIMIT_FSIZE of the platform's process to
// what soft chooses given the current limits. Only the soft limit moves, so
// no privilege is needed to lower it and raise it back.
func (s *subprocess) setFileSizeLimit(soft func(unix.Rlimit) uint64) error {
	s.mu.Lock()
	pid := s.cmd.Process.Pid
	s.mu.Unlock()
	var cur unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, nil, &cur); err != nil {
		return fmt.Errorf("cannot read the file size limit of process %d: %w", pid, err)
	}
	cur.Cur = soft(cur)
	if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, &cur, nil); err != nil {
		return fmt.Errorf("cannot set the file size limit of process %d: %w", pid, err)
	}
	return nil
}

func faultDiskFull(t *testing.T) tally {
	s := startSubprocess(t, "-store", "sqlite")
	seen := &answers{otherErrors: map[string]int{}}
	d := newDriver(s, disputesPerFault(t), "full")
	// Long enough that a request not answered is one left hanging, not
	// one slowed by a loaded machine (answers took up to 20 s under a load
	// average of 20 to 30 on two cores, with 100 to 150 requests a second
	// from the driver's retries).
	d.client.Timeout = 30 * time.Second
	d.observe = seen.observe
	stream(d, func() {
		if err := s.fillDisk(); err != nil {
			t.Errorf("the disk cannot be made full: %v", err)
			return
		}
		seen.fill()
		t.Logf("%s: the disk is full", time.Now().Format(time.TimeOnly))
		time.Sleep(fullFor) // the full disk itself, not a wait for a condition
		if err := s.freeDisk(); err != nil {
			t.Errorf("space cannot be given back: %v", err)
			return
		}
		seen.free()
		t.Logf("%s: space is back", time.Now().Format(time.TimeOnly))
		waitReady(t, s, time.Minute)
	})
	seen.check(t)
	row := reconcile(t, "disk full 15s", d, []string{fmt.Sprintf("127.0.0.1:%d", s.kafka)})
	row.check(t)
	wholeAfterRestart(t, s, d)
	return row
}

// wholeAfterRestart kills the platform and starts it again on the files it
// wrote through the full disk: a segment, group log or database left half
// written would fail to load, or lose what the ledger found a moment ago.
func wholeAfterRestart(t *testing.T, s *subprocess, d *driver) {
	t.Helper()
	s.kill()
	s.start()
	waitReady(t, s, 2*time.Minute)
	accepted, all := map[string]*run{}, map[string]string{}
	for _, r := range d.runs {
		if r.accepted() {
			accepted[r.id], all[r.id] = r, ""
		}
	}
	for id, why := range checkAll(d, accepted, all) {
		if why != "" {
			t.Errorf("after a restart on the data written through the full disk, %s (%s): %s", id, accepted[id].key, why)
		}
	}
}
