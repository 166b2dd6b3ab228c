package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kmsg"

	"fengqiao.dev/api/events"
	"fengqiao.dev/devstack"
	"fengqiao.dev/embedded"
	"fengqiao.dev/embedded/servicetest"
	"fengqiao.dev/pkg/messaging/topictest"
)

// The fault suite: a steady stream of disputes over the sample counties
// through the whole loop while one thing goes wrong, then a reconciliation
// of the driver's ledger with every service and topic (ledger_test.go).
// FENGQIAO_FAULT_DISPUTES sets the disputes per fault (default 60, 360 over
// the six faults: the five others took 256 s on two shared cores under a
// load average of 15, the disk-full case 56 s under one of 11; the
// faults' own outages and waits, not the stream, set most of that time).

// samplePolicies are the sample counties' MediationCenter resources.
var samplePolicies, _ = filepath.Abs("../operators/mediationcenter/config/samples")

func disputesPerFault(t *testing.T) int {
	if v := os.Getenv("FENGQIAO_FAULT_DISPUTES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 {
			t.Fatalf("FENGQIAO_FAULT_DISPUTES=%q: want a number of at least 3", v)
		}
		return n
	}
	return 60
}

func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("the fault suite runs the whole platform for minutes")
	}
	var rows []tally
	var mu sync.Mutex
	record := func(row tally) {
		mu.Lock()
		defer mu.Unlock()
		rows = append(rows, row)
	}
	t.Run("platform killed and restarted", func(t *testing.T) { record(faultPlatformKilled(t)) })
	t.Run("broker down and back", func(t *testing.T) { record(faultBrokerDown(t)) })
	t.Run("store down and back", func(t *testing.T) { record(faultStoreDown(t)) })
	t.Run("slow consumer", func(t *testing.T) { record(faultSlowConsumer(t)) })
	t.Run("member lost between effect and commit", func(t *testing.T) { record(faultLostBeforeCommit(t)) })
	t.Run("disk full and space back", func(t *testing.T) { record(faultDiskFull(t)) })
	printTable(t, rows)
}

// streamWith drives the stream and calls fault once a third of the
// disputes have started, so the fault lands mid-stream with work in every
// stage of the loop.
func streamWith(t *testing.T, where endpoints, tag string, fault func()) *driver {
	t.Helper()
	d := newDriver(where, disputesPerFault(t), tag)
	stream(d, fault)
	return d
}

// stream drives d, calling fault once a third of its disputes have started.
func stream(d *driver, fault func()) {
	var once sync.Once
	var faulted sync.WaitGroup
	faulted.Add(1)
	d.drive(context.Background(), func(started int) {
		if started >= len(d.runs)/3 {
			once.Do(func() {
				go func() {
					defer faulted.Done()
					fault()
				}()
			})
		}
	})
	faulted.Wait()
}

// inProcess is the platform in this process (devstack), whose broker and
// store the test can stop and start again on the same data and address.
type inProcess struct {
	*devstack.Platform
	stop       func()
	mu         sync.Mutex
	replaced   []io.Closer // broker or store started again by the test
	kafkaAddr  string
	mongoAddr  string
	kafkaDir   string
	mongoDir   string
	brokerLive atomic.Pointer[embedded.Broker]
}

func (p *inProcess) url(service string) string { return p.URLs[service] }
func (p *inProcess) issuer() string            { return p.IdP.Issuer }

func startInProcess(t *testing.T) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	log := fileLogger(t, filepath.Join(dir, "platform.log"))
	pl, err := devstack.Start(ctx, devstack.Options{DataDir: dir, PolicyDir: samplePolicies, Logger: log})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	mongo, err := url.Parse(pl.Infra.MongoURI)
	if err != nil {
		t.Fatal(err)
	}
	p := &inProcess{Platform: pl, kafkaAddr: pl.Infra.Brokers[0], mongoAddr: mongo.Host,
		kafkaDir: filepath.Join(pl.Infra.DataDir, "kafka"), mongoDir: filepath.Join(pl.Infra.DataDir, "mongo")}
	p.brokerLive.Store(pl.Infra.Broker())
	done := make(chan error, 1)
	go func() { done <- pl.Run(ctx) }()
	var stopOnce sync.Once
	p.stop = func() {
		stopOnce.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Logf("platform stopped with: %v", err)
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			for _, c := range p.replaced {
				_ = c.Close()
			}
		})
	}
	t.Cleanup(p.stop)
	waitReady(t, p, 90*time.Second)
	return p
}

// waitReady waits until every service's /readyz answers 200.
func waitReady(t *testing.T, where endpoints, within time.Duration) {
	t.Helper()
	for _, name := range devstack.Services() {
		servicetest.Eventually(t, within, name+" is ready", func() bool { return readyz(where.url(name)) == http.StatusOK })
	}
}

func readyz(base string) int {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(base + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// expectNotReady waits until every service's /readyz stops answering 200
// while part of the infrastructure is away.
func expectNotReady(t *testing.T, where endpoints, what string) {
	t.Helper()
	for _, name := range devstack.Services() {
		servicetest.Eventually(t, 20*time.Second, name+"'s /readyz reports not ready while "+what, func() bool {
			return readyz(where.url(name)) == http.StatusServiceUnavailable
		})
	}
}

// outage is how long the broker or the store stays away.
const outage = 15 * time.Second

func faultBrokerDown(t *testing.T) tally {
	p := startInProcess(t)
	d := streamWith(t, p, "broker", func() {
		_ = p.brokerLive.Load().Close()
		expectNotReady(t, p, "the broker is down")
		time.Sleep(outage) // the outage itself, not a wait for a condition
		b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{Dir: p.kafkaDir, Addr: p.kafkaAddr, Auth: p.Infra.KafkaAuth})
		if err != nil {
			t.Errorf("cannot start the broker again: %v", err)
			return
		}
		p.brokerLive.Store(b)
		p.mu.Lock()
		p.replaced = append(p.replaced, b)
		p.mu.Unlock()
		waitReady(t, p, 60*time.Second)
	})
	row := reconcile(t, "broker down 15s", d, []string{p.kafkaAddr})
	row.check(t)
	return row
}

func faultStoreDown(t *testing.T) tally {
	p := startInProcess(t)
	d := streamWith(t, p, "store", func() {
		_ = p.Infra.Store().Close()
		expectNotReady(t, p, "the store is down")
		time.Sleep(outage)
		s, err := embedded.StartStore(context.Background(), embedded.StoreOptions{Dir: p.mongoDir, Addr: p.mongoAddr})
		if err != nil {
			t.Errorf("cannot start the store again: %v", err)
			return
		}
		p.mu.Lock()
		p.replaced = append(p.replaced, s)
		p.mu.Unlock()
		waitReady(t, p, 60*time.Second)
	})
	row := reconcile(t, "store down 15s", d, []string{p.kafkaAddr})
	row.check(t)
	return row
}

// slowGroup is the consumer group the slow-consumer fault slows: the
// revisit service scheduling revisits from settled mediations.
const slowGroup = "revisit.ScheduleRevisitOnMediationResolved"

// faultSlowConsumer slows one consumer group by delaying its offset
// commits in the broker (the consumer commits each message before it
// fetches the next), lets its lag grow, then lets it drain.
func faultSlowConsumer(t *testing.T) tally {
	p := startInProcess(t)
	cluster := p.Infra.Broker().Cluster()
	var slow atomic.Bool
	slow.Store(true)
	cluster.ControlKey(int16(kmsg.OffsetCommit), func(req kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		if !slow.Load() {
			cluster.DropControl()
			return nil, nil, false
		}
		if commit, ok := req.(*kmsg.OffsetCommitRequest); ok && commit.Group == slowGroup {
			cluster.SleepControl(func() { time.Sleep(400 * time.Millisecond) })
		}
		return nil, nil, false
	})
	var maxLag atomic.Int64
	d := streamWith(t, p, "slow", func() {
		servicetest.Eventually(t, 90*time.Second, slowGroup+"'s lag grows", func() bool {
			lag := groupLag(p.kafkaAddr, slowGroup, events.TopicMediations)
			if lag > maxLag.Load() {
				maxLag.Store(lag)
			}
			return lag >= 20
		})
		slow.Store(false)
	})
	servicetest.Eventually(t, 2*time.Minute, slowGroup+"'s lag drains", func() bool {
		return groupLag(p.kafkaAddr, slowGroup, events.TopicMediations) == 0
	})
	t.Logf("%s's lag peaked at %d or more", slowGroup, maxLag.Load())
	row := reconcile(t, "slow consumer", d, []string{p.kafkaAddr})
	row.check(t)
	return row
}

// faultLostBeforeCommit takes a consumer group member away between its
// handler's stored effect and the offset commit that records it: from the
// fault on, the broker drops the connection of every commit of slowGroup
// (the effect of the message it commits is already stored) until a new
// member joins the group in its place, which the old one, left with a
// message it can neither commit nor move past, makes happen after
// messaging's StallAfter. The new member is given the uncommitted messages
// again; the ledger then shows that none of them had a second effect.
func faultLostBeforeCommit(t *testing.T) tally {
	p := startInProcess(t)
	cluster := p.Infra.Broker().Cluster()
	var losing atomic.Bool
	var lost atomic.Int64
	cluster.ControlKey(int16(kmsg.OffsetCommit), func(req kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		if commit, ok := req.(*kmsg.OffsetCommitRequest); !ok || commit.Group != slowGroup || !losing.Load() {
			return nil, nil, false
		}
		lost.Add(1)
		return nil, errors.New("the member is gone before its commit lands"), true // closes the connection
	})
	cluster.ControlKey(int16(kmsg.JoinGroup), func(req kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		// A join without a member ID is a new member; the old one rejoins
		// under its own ID while its generation's connection keeps dying.
		if join, ok := req.(*kmsg.JoinGroupRequest); ok && join.Group == slowGroup && join.MemberID == "" && lost.Load() > 0 {
			losing.Store(false)
		}
		return nil, nil, false
	})
	d := streamWith(t, p, "lost", func() {
		losing.Store(true)
		servicetest.Eventually(t, 2*time.Minute, "a new member of "+slowGroup+" in place of the one whose commits were lost", func() bool {
			return !losing.Load()
		})
	})
	if lost.Load() == 0 {
		t.Errorf("no commit of %s was lost: the fault did not happen", slowGroup)
	}
	t.Logf("%d commits of %s lost before a new member took over", lost.Load(), slowGroup)
	row := reconcile(t, "member lost before commit", d, []string{p.kafkaAddr})
	row.check(t)
	return row
}

// groupLag is how many records of topic group has not committed yet.
func groupLag(broker, group, topic string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lag, err := topictest.GroupLag(ctx, adminCluster([]string{broker}), group, topic)
	if err != nil {
		return -1
	}
	return lag
}

// subprocess is the platform as `make run` starts it: bin/fengqiao-dev in
// its own process, with its own data directory and ports.
type subprocess struct {
	t                   *testing.T
	bin, data, logPath  string
	args                []string // more flags for fengqiao-dev
	kafka, mongo, http0 int
	idp                 int
	mu                  sync.Mutex
	cmd                 *exec.Cmd
	exited              chan struct{}
}

func (s *subprocess) url(service string) string {
	for i, name := range devstack.Services() {
		if name == service {
			return fmt.Sprintf("http://127.0.0.1:%d", s.http0+i)
		}
	}
	return ""
}

func (s *subprocess) issuer() string { return fmt.Sprintf("http://127.0.0.1:%d", s.idp) }

func (s *subprocess) start() {
	s.t.Helper()
	logFile, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(s.bin, append([]string{"-data", s.data, "-counties", samplePolicies,
		"-kafka-port", strconv.Itoa(s.kafka), "-mongo-port", strconv.Itoa(s.mongo), "-http-port", strconv.Itoa(s.http0),
		"-idp-port", strconv.Itoa(s.idp)}, s.args...)...)
	// Through a pipe, not the file itself: the log is written by this
	// process, so a platform whose writes are refused (the disk-full
	// case) is still heard.
	cmd.Stdout, cmd.Stderr = struct{ io.Writer }{logFile}, struct{ io.Writer }{logFile}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("cannot start %s: %v", s.bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
}

// kill sends SIGKILL: no shutdown, no flush, no LeaveGroup.
func (s *subprocess) kill() {
	s.signal(syscall.SIGKILL, time.Minute)
}

// terminate stops the platform as Ctrl-C does, or kills it after 15 s.
func (s *subprocess) terminate() {
	if !s.signal(syscall.SIGTERM, 15*time.Second) {
		s.kill()
	}
}

// signal sends sig and reports whether the process exited within wait.
func (s *subprocess) signal(sig syscall.Signal, wait time.Duration) bool {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return true
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-exited:
		return true
	case <-time.After(wait):
		return false
	}
}

// startSubprocess builds fengqiao-dev and starts it with args on a data
// directory and ports of its own, and waits until it is ready.
func startSubprocess(t *testing.T, args ...string) *subprocess {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fengqiao-dev")
	build := exec.Command("go", "build", "-o", bin, "fengqiao.dev/devstack/cmd/fengqiao-dev")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cannot build fengqiao-dev: %v\n%s", err, out)
	}
	s := &subprocess{t: t, bin: bin, data: t.TempDir(), logPath: filepath.Join(t.TempDir(), "fengqiao-dev.log"), args: args,
		kafka: freePort(t), mongo: freePort(t), http0: freePortRange(t, len(devstack.Services())+1), idp: freePort(t)} // the five services, then the clock
	s.start()
	t.Cleanup(s.terminate)
	t.Cleanup(func() {
		if t.Failed() {
			if log, err := os.ReadFile(s.logPath); err == nil {
				t.Logf("fengqiao-dev's warnings and errors:\n%s", tail(problemLines(log), 6000))
			}
		}
	})
	waitReady(t, s, 2*time.Minute)
	return s
}

func faultPlatformKilled(t *testing.T) tally {
	s := startSubprocess(t)
	d := streamWith(t, s, "kill", func() {
		s.kill()
		s.start()
		waitReady(t, s, 2*time.Minute)
	})
	row := reconcile(t, "platform SIGKILL+restart", d, []string{fmt.Sprintf("127.0.0.1:%d", s.kafka)})
	row.check(t)
	return row
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// freePortRange finds n consecutive free ports.
func freePortRange(t *testing.T, n int) int {
	t.Helper()
	for try := 0; try < 50; try++ {
		base := freePort(t)
		if base+n > 65535 {
			continue
		}
		free := true
		for p := base; p < base+n && free; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no run of free ports")
	return 0
}

// fileLogger writes the platform's warnings and errors to a file, its end
// shown when the test fails: the platform may still log while it stops,
// after the test's end, and retries during a fault log at Warn by design.
func fileLogger(t *testing.T, path string) *slog.Logger {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			if log, err := os.ReadFile(path); err == nil {
				t.Logf("the platform's warnings and errors:\n%s", tail(log, 8000))
			}
		}
	})
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// problemLines keeps the warnings and errors of a text log.
func problemLines(log []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(log, []byte("\n")) {
		if bytes.Contains(line, []byte("level=WARN")) || bytes.Contains(line, []byte("level=ERROR")) || !bytes.Contains(line, []byte("level=")) {
			out = append(out, line...)
		}
	}
	return out
}
