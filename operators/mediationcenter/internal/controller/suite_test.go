package controller_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/go-logr/logr"

	"fengqiao.dev/embedded"
	"fengqiao.dev/operators/mediationcenter/manager"
)

// The envtest suite runs the operator as it runs in a cluster: a real
// kube-apiserver and etcd built from source (make envtest-assets), the
// generated CRD, the embedded Kafka broker, and the manager built by
// manager.New, with leader election on as in production. Tests share them
// and run one after another (the outage test stops the broker); they leave
// their resources behind, so run the package with -count=1.
var suite struct {
	cfg       *rest.Config
	k8s       client.Client
	brokers   []string
	kafkaDir  string
	broker    *embedded.Broker
	cancelMgr context.CancelFunc
	// clockShift moves the manager's clock (nanoseconds); zero is real time.
	clockShift atomic.Int64
}

// RequireEnvtestEnv makes a missing apiserver a failure instead of a skip;
// make test-operator sets it, so CI cannot pass without the suite running.
const RequireEnvtestEnv = "FENGQIAO_REQUIRE_ENVTEST"

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		return m.Run() // -short: unit tests only, no control plane or broker
	}
	assets := assetsDir()
	if assets == "" {
		fmt.Fprintln(os.Stderr, "envtest: no kube-apiserver/etcd found: run `make envtest-assets` (or set KUBEBUILDER_ASSETS)")
		if os.Getenv(RequireEnvtestEnv) != "" {
			return 1
		}
		return m.Run() // unit tests still run; envtest tests skip themselves
	}
	// envtest prefers the variable, even empty, over BinaryAssetsDirectory.
	_ = os.Setenv("KUBEBUILDER_ASSETS", assets)
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "config", "crd")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
	}
	cfg, err := env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "envtest: cannot start the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	if err := startSuite(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "envtest:", err)
		return 1
	}
	defer func() { suite.cancelMgr(); _ = suite.broker.Close() }()
	return m.Run()
}

func startSuite(cfg *rest.Config) error {
	suite.cfg = cfg
	suite.kafkaDir, _ = os.MkdirTemp("", "mc-kafka-")
	b, err := embedded.StartBroker(context.Background(), embedded.BrokerOptions{Dir: suite.kafkaDir})
	if err != nil {
		return err
	}
	suite.broker, suite.brokers = b, b.Addrs
	scheme, err := manager.Scheme()
	if err != nil {
		return err
	}
	if suite.k8s, err = client.New(cfg, client.Options{Scheme: scheme}); err != nil {
		return err
	}
	level := slog.LevelWarn
	if os.Getenv("MC_TEST_VERBOSE") != "" {
		level = slog.LevelDebug
	}
	ctrl.SetLogger(logr.FromSlogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	mgr, err := manager.New(manager.Config{
		RestConfig: cfg, Brokers: suite.brokers, KafkaTimeout: 2 * time.Second,
		Resync: time.Second, RetryMin: 100 * time.Millisecond, RetryMax: time.Second,
		MetricsAddr: "0", ProbeAddr: "0", SkipNameValidation: true,
		LeaderElection: true, LeaderElectionNamespace: "default",
		Now: func() time.Time { return time.Now().Add(time.Duration(suite.clockShift.Load())) },
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	suite.cancelMgr = cancel
	go func() {
		if err := mgr.Start(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "manager stopped:", err)
		}
	}()
	return nil
}

// assetsDir finds kube-apiserver and etcd: KUBEBUILDER_ASSETS, else the
// repository's bin/ (found by walking up to go.work).
func assetsDir() string {
	if d := os.Getenv("KUBEBUILDER_ASSETS"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			bin := filepath.Join(dir, "bin")
			if _, err := os.Stat(filepath.Join(bin, "kube-apiserver")); err == nil {
				return bin
			}
			return ""
		}
	}
	return ""
}

// needEnvtest skips a test when the suite could not start a control plane.
func needEnvtest(t *testing.T) {
	t.Helper()
	if suite.cfg == nil {
		t.Skip("no envtest control plane: run `make envtest-assets`")
	}
}
