//go:build scale

package scale_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/util/retry"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/pkg/policywatch"
)

// buildOperator builds cmd/manager, or takes the binary SCALE_OPERATOR
// names: an older build, to measure before and after a change in one run.
func buildOperator(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("SCALE_OPERATOR"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "manager")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/manager").CombinedOutput()
	if err != nil {
		t.Fatalf("building the operator: %v\n%s", err, out)
	}
	return bin
}

// sizes are the numbers of centers to roll out, from SCALE_N ("100,500").
func sizes(t *testing.T) []int {
	t.Helper()
	spec := os.Getenv("SCALE_N")
	if spec == "" {
		spec = "100,500"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			t.Fatalf("SCALE_N: %q is not a count", f)
		}
		out = append(out, n)
	}
	return out
}

// TestScale rolls out N MediationCenters on a fresh cluster while a policy
// watcher follows 20 edits of one county that was there before, and
// reports the figures docs/performance.md tabulates. It asserts only that
// everything gets Ready and every edit arrives: the targets are read from
// the table, not timed here.
func TestScale(t *testing.T) {
	bin := buildOperator(t)
	for _, n := range sizes(t) {
		t.Run(strconv.Itoa(n), func(t *testing.T) { rollout(t, bin, n) })
	}
}

// rolloutFigures is one row of the table.
type rolloutFigures struct {
	N                int
	AllReady         time.Duration
	Created          time.Duration
	Reconciles       float64
	APIRequests      float64
	CPUPerCounty     time.Duration
	PeakRSS          int64
	TopicsMean       time.Duration
	EditP50, EditP99 time.Duration
	EditsDuring      int
}

func rollout(t *testing.T, bin string, n int) {
	r := newRig(t, bin)
	r.startOperator()
	// The probe county is there before the rollout, as a running province's
	// counties are; its edits are the ones timed.
	probe := countyCode(n)
	if err := r.k8s.Create(context.Background(), newCenter(probe)); err != nil {
		t.Fatal(err)
	}
	r.waitAllReady(1, 2*time.Minute)
	changes := watchPolicy(t, r.brokerAddr, probe)

	before, beforeUse, beforeCP := mustMetrics(t, r), r.usage(), r.controlPlaneMetrics()
	started := time.Now()
	created := make(chan time.Time, 1)
	go func() { r.createCenters(0, n); created <- time.Now() }()
	edits := make(chan []editTiming, 1)
	go func() { edits <- editProbe(t, r, probe, changes, 20) }()
	createdAt := <-created
	allReady := r.waitAllReady(n+1, 90*time.Minute)
	timings := <-edits
	after, afterUse, afterCP := mustMetrics(t, r), r.usage(), r.controlPlaneMetrics()

	f := rolloutFigures{N: n, AllReady: allReady.Sub(started), Created: createdAt.Sub(started),
		Reconciles:   sum(after, "controller_runtime_reconcile_total", `controller="mediationcenter"`) - sum(before, "controller_runtime_reconcile_total", `controller="mediationcenter"`),
		APIRequests:  sum(after, "rest_client_requests_total") - sum(before, "rest_client_requests_total"),
		CPUPerCounty: (afterUse.CPU - beforeUse.CPU) / time.Duration(n),
		PeakRSS:      afterUse.PeakRSS,
	}
	if c := sum(after, "mediationcenter_topics_ensure_seconds_count") - sum(before, "mediationcenter_topics_ensure_seconds_count"); c > 0 {
		s := sum(after, "mediationcenter_topics_ensure_seconds_sum") - sum(before, "mediationcenter_topics_ensure_seconds_sum")
		f.TopicsMean = time.Duration(s / c * float64(time.Second))
	}
	f.EditP50, f.EditP99, f.EditsDuring = editStats(timings, allReady)
	for i, e := range timings {
		t.Logf("edit %d: begun %s, written after %s, seen after %s", i+1, e.At.Format("15:04:05.000"),
			e.Written.Sub(e.At).Round(time.Millisecond), e.Seen.Sub(e.At).Round(time.Millisecond))
	}
	report(t, f)
	reportWhere(t, n, before, after, beforeCP, afterCP)
	if errs := r.operatorErrors(); len(errs) > 0 {
		t.Logf("%d error lines in the operator's log, the first: %s", len(errs), errs[0])
	}
}

// reportWhere logs where a rollout's time went: the apiserver's requests
// on MediationCenters per county by verb (the test's creates among them),
// etcd's WAL fsyncs, the operator's mean reconcile and its waits for the
// client-side rate limit.
func reportWhere(t *testing.T, n int, before, after, beforeCP, afterCP map[string]float64) {
	t.Helper()
	d := func(a, b map[string]float64, name string, labels ...string) float64 {
		return sum(a, name, labels...) - sum(b, name, labels...)
	}
	var verbs []string
	for _, v := range []string{"POST", "PUT", "PATCH", "GET", "LIST"} {
		c := d(afterCP, beforeCP, "apiserver_request_total", `resource="mediationcenters"`, `verb="`+v+`"`)
		verbs = append(verbs, fmt.Sprintf("%s %.2f", v, c/float64(n)))
	}
	fsyncs := d(afterCP, beforeCP, "etcd_disk_wal_fsync_duration_seconds_count")
	fsyncSecs := d(afterCP, beforeCP, "etcd_disk_wal_fsync_duration_seconds_sum")
	rc := d(after, before, "controller_runtime_reconcile_time_seconds_count", `controller="mediationcenter"`)
	rs := d(after, before, "controller_runtime_reconcile_time_seconds_sum", `controller="mediationcenter"`)
	throttled := d(after, before, "mediationcenter_kube_client_throttle_seconds_sum")
	editReconciles := d(after, before, "controller_runtime_reconcile_total", `controller="mediationcenter-edits"`)
	meanReconcile := 0.0
	if rc > 0 {
		meanReconcile = rs / rc
	}
	line := fmt.Sprintf("N %d: apiserver requests on MediationCenters per county: %s; etcd WAL fsyncs %.0f (%.1f s); operator: mean reconcile %.0f ms, %.0f reconciles of edits, %.1f s waited for the client-side rate limit",
		n, strings.Join(verbs, ", "), fsyncs, fsyncSecs, meanReconcile*1000, editReconciles, throttled)
	t.Log(line)
	if path := os.Getenv("SCALE_REPORT"); path != "" {
		if fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			_, _ = fmt.Fprintln(fh, line)
			_ = fh.Close()
		}
	}
}

func mustMetrics(t *testing.T, r *rig) map[string]float64 {
	t.Helper()
	m, err := r.metrics()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// watchPolicy follows the policy topic as a service does and passes on
// each policy record of county code as the capacity of its mediator m1,
// the field the edits change; a repeated record passes it on again.
func watchPolicy(t *testing.T, broker, code string) <-chan int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := policywatch.New(policywatch.Config{Brokers: []string{broker},
		Logger: slog.New(slog.DiscardHandler)})
	out := make(chan int, 256)
	w.OnChange(func(c policywatch.Change) {
		if c.County != code || c.Policy == nil {
			return
		}
		for _, m := range c.Policy.Mediators {
			if m.ID == "m1" {
				out <- m.Capacity
			}
		}
	})
	go func() { _ = w.Run(ctx) }()
	if err := w.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	// The probe's first policy may be read before or after Ready.
	drain(out)
	return out
}

func drain(ch <-chan int) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// editTiming is one edit: when its write began, when the apiserver had
// taken it, and when the watcher saw it.
type editTiming struct{ At, Written, Seen time.Time }

// editProbe changes the probe county's policy count times, one after the
// other, each as soon as the watcher saw the last; a gap keeps them spread
// over the rollout. An edit is timed from the write (the Update request),
// not from the test's read of the object before it.
func editProbe(t *testing.T, r *rig, probe string, changes <-chan int, count int) []editTiming {
	var out []editTiming
	key := client.ObjectKey{Namespace: namespace, Name: centerName(probe)}
	for i := 1; i <= count; i++ {
		want := 3 + i
		var at time.Time
		err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
			var mc v1alpha1.MediationCenter
			if err := r.k8s.Get(context.Background(), key, &mc); err != nil {
				return err
			}
			mc.Spec.Mediators[2].Capacity = ptr.To(int32(want))
			at = time.Now()
			return r.k8s.Update(context.Background(), &mc)
		})
		if err != nil {
			t.Errorf("edit %d: %v", i, err)
			return out
		}
		written := time.Now()
		if !awaitCapacity(changes, want, 30*time.Minute) {
			t.Errorf("edit %d of county %s never reached the policy watcher", i, probe)
			return out
		}
		out = append(out, editTiming{At: at, Written: written, Seen: time.Now()})
		time.Sleep(250 * time.Millisecond)
	}
	return out
}

// awaitCapacity waits for a record with capacity want; earlier ones,
// repeated publications among them, are skipped.
func awaitCapacity(changes <-chan int, want int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		select {
		case got := <-changes:
			if got == want {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// editStats are the edits' latency at the median and the 99th percentile
// (of 20, the worst), and how many were written before all were Ready.
func editStats(timings []editTiming, allReady time.Time) (p50, p99 time.Duration, during int) {
	if len(timings) == 0 {
		return 0, 0, 0
	}
	var lat []time.Duration
	for _, e := range timings {
		lat = append(lat, e.Seen.Sub(e.At))
		if e.At.Before(allReady) {
			during++
		}
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[(len(lat)*99+99)/100-1], during
}

func report(t *testing.T, f rolloutFigures) {
	t.Helper()
	row := fmt.Sprintf("| %d | %.1f s | %.1f s | %.1f/s | %.0f | %.0f (%.1f/county) | %d ms | %.0f MiB | %d ms | %d ms / %d ms (%d of 20 during) |",
		f.N, f.Created.Seconds(), f.AllReady.Seconds(), float64(f.N)/f.AllReady.Seconds(), f.Reconciles, f.APIRequests, f.APIRequests/float64(f.N),
		f.CPUPerCounty.Milliseconds(), float64(f.PeakRSS)/(1<<20), f.TopicsMean.Milliseconds(),
		f.EditP50.Milliseconds(), f.EditP99.Milliseconds(), f.EditsDuring)
	t.Log("N | all created | all Ready | rate | reconciles | apiserver requests | CPU/county | peak RSS | topics/county (mean) | policy edit p50 / p99")
	t.Log(row)
	if path := os.Getenv("SCALE_REPORT"); path != "" {
		fh, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			_, _ = fmt.Fprintln(fh, row)
			_ = fh.Close()
		}
	}
}
