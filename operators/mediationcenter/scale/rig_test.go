//go:build scale

package scale_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/manager"
)

// namespace holds every center of a run: the operator's duplicate check is
// cluster-wide anyway.
const namespace = "scale"

// rig is one run's cluster: envtest's apiserver and etcd, the embedded
// broker, and the operator binary in its own process so its CPU and memory
// are its own.
type rig struct {
	t   *testing.T
	env *envtest.Environment
	k8s client.Client
	// ready answers readyCount from a watch, so the test's polling does not
	// cost the apiserver a list of every center each second.
	ready      cache.Cache
	raw        rest.Interface
	kubeconfig string
	kafkaDir   string
	brokerAddr string
	broker     *embedded.Broker
	binary     string
	workers    int

	operator    *exec.Cmd
	operatorLog string
	metricsAddr string
}

func newRig(t *testing.T, binary string) *rig {
	t.Helper()
	// envtest logs through controller-runtime's logger; the test reports
	// what it measured, not the control plane's start-up.
	logf.SetLogger(logr.Discard())
	r := &rig{t: t, binary: binary, workers: workersFromEnv()}
	r.env = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "config", "crd")},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := r.env.Start()
	if err != nil {
		t.Fatalf("cannot start the control plane (KUBEBUILDER_ASSETS=%q): %v", os.Getenv("KUBEBUILDER_ASSETS"), err)
	}
	t.Cleanup(func() { _ = r.env.Stop() })
	user, err := r.env.AddUser(envtest.User{Name: "operator", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		t.Fatal(err)
	}
	r.kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(r.kubeconfig, kc, 0o600); err != nil {
		t.Fatal(err)
	}
	scheme, err := manager.Scheme()
	if err != nil {
		t.Fatal(err)
	}
	// The test's own client must not be throttled: its requests are the
	// load, not the thing measured.
	cfg.QPS, cfg.Burst = 1000, 2000
	if r.k8s, err = client.New(cfg, client.Options{Scheme: scheme}); err != nil {
		t.Fatal(err)
	}
	if r.ready, err = cache.New(cfg, cache.Options{Scheme: scheme}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ready.GetInformer(context.Background(), &v1alpha1.MediationCenter{}); err != nil {
		t.Fatal(err)
	}
	cacheCtx, stopCache := context.WithCancel(context.Background())
	t.Cleanup(stopCache)
	go func() { _ = r.ready.Start(cacheCtx) }()
	r.ready.WaitForCacheSync(cacheCtx)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.raw = cs.CoreV1().RESTClient()
	if err := r.k8s.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}); err != nil {
		t.Fatal(err)
	}
	r.kafkaDir = t.TempDir()
	r.startBroker()
	t.Cleanup(func() {
		if r.broker != nil {
			_ = r.broker.Close()
		}
	})
	t.Cleanup(r.stopOperator)
	return r
}

func workersFromEnv() int {
	n, _ := strconv.Atoi(os.Getenv("SCALE_WORKERS"))
	return n
}

// startBroker starts the broker, on the same address and data after the first time.
func (r *rig) startBroker() {
	r.t.Helper()
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{Dir: r.kafkaDir, Addr: r.brokerAddr})
	if err != nil {
		r.t.Fatalf("starting the broker: %v", err)
	}
	r.broker, r.brokerAddr = b, b.Addrs[0]
}

func (r *rig) stopBroker() {
	r.t.Helper()
	if err := r.broker.Close(); err != nil {
		r.t.Fatal(err)
	}
	r.broker = nil
}

// startOperator runs the operator binary as the chart does: leader
// election on, metrics on a free port.
func (r *rig) startOperator() {
	r.t.Helper()
	r.metricsAddr = freeAddr(r.t)
	args := []string{"-metrics-bind-address", r.metricsAddr, "-health-probe-bind-address", "0",
		"-leader-elect=true", "-leader-election-namespace", "default", "-kafka-brokers", r.brokerAddr}
	if r.workers > 0 {
		args = append(args, "-workers", strconv.Itoa(r.workers))
	}
	cmd := exec.Command(r.binary, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+r.kubeconfig)
	r.operatorLog = filepath.Join(r.t.TempDir(), "operator.log")
	logFile, err := os.Create(r.operatorLog)
	if err != nil {
		r.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("starting the operator: %v", err)
	}
	r.operator = cmd
	r.waitMetrics()
}

// stopOperator stops it as Kubernetes does, with SIGTERM. SCALE_LOGDIR
// keeps its log, named after the test, for reading after the run.
func (r *rig) stopOperator() {
	if r.operator == nil {
		return
	}
	if dir := os.Getenv("SCALE_LOGDIR"); dir != "" {
		defer func() {
			if b, err := os.ReadFile(r.operatorLog); err == nil {
				name := strings.ReplaceAll(r.t.Name(), "/", "-") + ".log"
				_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
			}
		}()
	}
	_ = r.operator.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = r.operator.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = r.operator.Process.Kill()
		<-done
	}
	r.operator = nil
}

func (r *rig) waitMetrics() {
	r.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := r.metrics(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.t.Fatalf("the operator's metrics never answered; its log: %s", tail(r.operatorLog))
}

// operatorErrors are the error-level lines of the operator's log.
func (r *rig) operatorErrors() []string {
	f, err := os.Open(r.operatorLog)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		if strings.Contains(s.Text(), `"level":"ERROR"`) {
			out = append(out, s.Text())
		}
	}
	return out
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// metrics scrapes the operator's Prometheus endpoint into sums by metric
// name and label text.
func (r *rig) metrics() (map[string]float64, error) {
	res, err := http.Get("http://" + r.metricsAddr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out := map[string]float64{}
	return out, parseMetrics(res.Body, out)
}

func parseMetrics(body io.Reader, out map[string]float64) error {
	s := bufio.NewScanner(body)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		out[line[:i]] += v
	}
	return s.Err()
}

// controlPlaneMetrics scrapes the apiserver's and etcd's Prometheus
// endpoints into one map, as metrics does the operator's.
func (r *rig) controlPlaneMetrics() map[string]float64 {
	r.t.Helper()
	out := map[string]float64{}
	body, err := r.raw.Get().AbsPath("/metrics").DoRaw(context.Background())
	if err != nil {
		r.t.Fatalf("reading the apiserver's metrics: %v", err)
	}
	if err := parseMetrics(bytes.NewReader(body), out); err != nil {
		r.t.Fatal(err)
	}
	etcd := r.env.ControlPlane.Etcd.URL
	res, err := http.Get(etcd.Scheme + "://" + etcd.Host + "/metrics")
	if err != nil {
		r.t.Fatalf("reading etcd's metrics: %v", err)
	}
	defer res.Body.Close()
	if err := parseMetrics(res.Body, out); err != nil {
		r.t.Fatal(err)
	}
	return out
}

// sum adds every series of metric name whose labels contain each of labels.
func sum(m map[string]float64, name string, labels ...string) float64 {
	var total float64
	for series, v := range m {
		if series != name && !strings.HasPrefix(series, name+"{") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(series, l)
		}
		if ok {
			total += v
		}
	}
	return total
}

// procUsage is the operator's CPU time so far and its resident memory now
// and at its peak, from /proc.
type procUsage struct {
	CPU          time.Duration
	RSS, PeakRSS int64 // bytes
}

func (r *rig) usage() procUsage {
	r.t.Helper()
	pid := r.operator.Process.Pid
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		r.t.Fatal(err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	const ticksPerSecond = 100 // USER_HZ on Linux
	u := procUsage{CPU: time.Duration(utime+stime) * time.Second / ticksPerSecond}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		r.t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			u.RSS = kb << 10
		case "VmHWM:":
			u.PeakRSS = kb << 10
		}
	}
	return u
}

// countyCode is the i-th county of a run: valid division codes of one
// made-up province.
func countyCode(i int) string { return strconv.Itoa(110001 + i) }

func centerName(code string) string { return "county-" + code }

// newCenter is a small valid county, as the envtest suite's.
func newCenter(code string) *v1alpha1.MediationCenter {
	return &v1alpha1.MediationCenter{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: centerName(code)},
		Spec: v1alpha1.MediationCenterSpec{
			County: v1alpha1.County{Code: code, Name: "测试县 " + code},
			Jurisdiction: []v1alpha1.Township{{ID: "jiangsulu", Name: "江苏路街道", Kind: "street",
				Villages: []v1alpha1.Village{{ID: "qidonglu", Name: "齐东路社区", Kind: "community",
					Grids: []v1alpha1.Grid{{ID: "g1"}}}}}},
			Agencies: []v1alpha1.Agency{
				{ID: "centre", Name: "综治中心", Kind: "governance_centre"},
				{ID: "police", Name: "江苏路派出所", Kind: "police_station", Township: "jiangsulu"},
				{ID: "judicial", Name: "江苏路司法所", Kind: "judicial_office", Township: "jiangsulu"},
			},
			Mediators: []v1alpha1.Mediator{
				{ID: "m3", Agency: "centre", Role: "peacemaker", Tier: 3, Skills: []v1alpha1.Category{"neighbour"}},
				{ID: "m2", Agency: "police", Role: "police_officer", Tier: 2, Skills: []v1alpha1.Category{"neighbour"}},
				{ID: "m1", Agency: "judicial", Role: "people_mediator", Tier: 1, OnCall: true,
					Skills: []v1alpha1.Category{"marriage_family"}, Capacity: ptr.To[int32](3)},
			},
			Routing: []v1alpha1.RoutingRule{
				{Category: "other", Agency: "centre"},
				{Category: "neighbour", Agency: "judicial", Township: "jiangsulu"},
			},
		},
	}
}

// createCenters creates the counties first..first+n-1 from a few
// goroutines, as kubectl apply of a province's manifests would.
func (r *rig) createCenters(first, n int) {
	r.t.Helper()
	const parallel = 8
	var wg sync.WaitGroup
	errs := make(chan error, parallel)
	for w := range parallel {
		wg.Go(func() {
			for i := first + w; i < first+n; i += parallel {
				if err := r.k8s.Create(context.Background(), newCenter(countyCode(i))); err != nil {
					errs <- fmt.Errorf("creating county %s: %w", countyCode(i), err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		r.t.Fatal(err)
	}
}

// readyCount counts the centers whose Ready is true for their generation.
func (r *rig) readyCount() (ready, total int) {
	r.t.Helper()
	var list v1alpha1.MediationCenterList
	if err := r.ready.List(context.Background(), &list, client.InNamespace(namespace)); err != nil {
		r.t.Fatal(err)
	}
	for _, mc := range list.Items {
		c := meta.FindStatusCondition(mc.Status.Conditions, v1alpha1.ConditionReady)
		if c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == mc.Generation {
			ready++
		}
	}
	return ready, len(list.Items)
}

// waitAllReady polls until want centers are Ready or timeout passes; it
// returns when they were first seen so.
func (r *rig) waitAllReady(want int, timeout time.Duration) time.Time {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ready, total := r.readyCount()
		if ready >= want {
			return time.Now()
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%d of %d centers Ready after %s (want %d); operator log: %s", ready, total, timeout, want, tail(r.operatorLog))
		}
		// The list is the watch's; counting thousands still costs the
		// test's own CPU, on the cores the operator is measured on.
		time.Sleep(100*time.Millisecond + time.Duration(want)*time.Millisecond/20)
	}
}
