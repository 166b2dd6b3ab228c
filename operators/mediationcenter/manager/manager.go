// Package manager wires the MediationCenter operator: a controller-runtime
// manager with leader election, health and metrics endpoints, the
// reconciler and the figures reader. It is its own package so that the
// binary and the integration tests start the operator the same way.
package manager

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/controller"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// Config is the operator's configuration.
type Config struct {
	Brokers []string
	// Kafka is the brokers' SASL and TLS settings (config.KafkaSecurityFromEnv),
	// used by every Kafka client of the operator; zero is plaintext.
	Kafka        config.KafkaSecurity
	KafkaTimeout time.Duration
	// AgencyPrincipals makes the operator create each county's agency
	// principals and ACLs with its topics, their passwords in Secrets; its
	// Kafka user must then be allowed to alter the cluster (a superuser).
	// Off where Strimzi's User Operator manages users (the chart's
	// KafkaUsers).
	AgencyPrincipals   bool
	Resync             time.Duration
	RetryMin, RetryMax time.Duration
	// Workers is how many counties are reconciled at once (the
	// controller's MaxConcurrentReconciles); 0 is DefaultWorkers.
	Workers int
	// KubeQPS and KubeBurst bound the operator's requests to the apiserver
	// (client-go's client-side limit); 0 is DefaultKubeQPS and twice it.
	KubeQPS                float32
	KubeBurst              int
	MetricsAddr, ProbeAddr string
	// PprofAddr serves net/http/pprof when set (profiling a rollout).
	PprofAddr               string
	LeaderElection          bool
	LeaderElectionNamespace string
	// RestConfig overrides the in-cluster/kubeconfig discovery (tests).
	RestConfig *rest.Config
	// SkipNameValidation lets tests start several managers in one process.
	SkipNameValidation bool
	// Now is the reconciler's clock (default time.Now): tests move it to see
	// the calendar's coverage run out.
	Now func() time.Time
}

// DefaultWorkers is how many counties are reconciled at once unless the
// configuration says otherwise: chosen by the scale test
// (docs/performance.md). A reconcile mostly waits, for the apiserver and
// the brokers, and the workers' topic checks share their requests
// (provision.Batcher), so 32 let a rollout follow the counties' creation
// where 4 left it three times as slow at 500.
const DefaultWorkers = 32

// DefaultKubeQPS is the operator's request rate to the apiserver. client-go's
// default of 20 allowed ten new counties a second at two writes each (the
// finalizer and the status), which made the limit, not the apiserver, the
// bottleneck of a province's rollout; the apiserver's own priority and
// fairness still protects it. A county now costs one write, and the scale
// test measured no wait for this limit
// (mediationcenter_kube_client_throttle_seconds) at 3,000.
const DefaultKubeQPS = 100

// LeaderElectionID names the Lease the replicas compete for.
const LeaderElectionID = "mediationcenter-operator.mediation.fengqiao.dev"

// Scheme knows the built-in kinds and MediationCenter.
func Scheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, fmt.Errorf("while building the scheme: %w", err)
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		return nil, fmt.Errorf("while registering MediationCenter: %w", err)
	}
	return s, nil
}

// Run runs the operator until ctx ends.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	ctrl.SetLogger(logr.FromSlogHandler(cleanStopHandler{log.Handler()}))
	mgr, err := New(cfg)
	if err != nil {
		return err
	}
	if err := mgr.Start(ctx); err != nil {
		return fmt.Errorf("while running the manager: %w", err)
	}
	return nil
}

// New builds the manager with the reconciler and figures reader registered.
func New(cfg Config) (ctrl.Manager, error) {
	cfg = withDefaults(cfg)
	scheme, err := Scheme()
	if err != nil {
		return nil, err
	}
	rc := cfg.RestConfig
	if rc == nil {
		if rc, err = ctrl.GetConfig(); err != nil {
			return nil, fmt.Errorf("while finding the cluster: %w", err)
		}
	}
	rc = rest.CopyConfig(rc)
	rc.QPS, rc.Burst = cfg.KubeQPS, cfg.KubeBurst
	mgr, err := ctrl.NewManager(rc, ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsserver.Options{BindAddress: cfg.MetricsAddr},
		HealthProbeBindAddress:  cfg.ProbeAddr,
		PprofBindAddress:        cfg.PprofAddr,
		NewClient:               measuredClient,
		LeaderElection:          cfg.LeaderElection,
		LeaderElectionID:        LeaderElectionID,
		LeaderElectionNamespace: cfg.LeaderElectionNamespace,
		// A new leader starts at once when the old one steps down cleanly.
		LeaderElectionReleaseOnCancel: true,
	})
	if err != nil {
		return nil, fmt.Errorf("while creating the manager: %w", err)
	}
	if err := register(mgr, cfg); err != nil {
		return nil, err
	}
	return mgr, nil
}

// measuredClient is the reconciler's client, its requests under one
// measured token bucket of the configured QPS and burst; leader election
// and the informers keep buckets of their own, so a rollout never delays
// the Lease's renewal.
func measuredClient(config *rest.Config, options client.Options) (client.Client, error) {
	c := rest.CopyConfig(config)
	c.RateLimiter = controller.MeasuredRateLimiter(c.QPS, c.Burst)
	return client.New(c, options)
}

func register(mgr ctrl.Manager, cfg Config) error {
	cluster := messaging.Cluster{Brokers: cfg.Brokers, Security: cfg.Kafka}
	kafkaClients, err := controller.NewKafkaClients(cluster, cfg.KafkaTimeout)
	if err != nil {
		return err
	}
	figures := controller.NewFiguresReader(cluster, mgr.GetClient())
	if err := mgr.Add(figures); err != nil {
		return fmt.Errorf("while adding the figures reader: %w", err)
	}
	r := &controller.MediationCenterReconciler{
		Client: mgr.GetClient(), Kafka: kafkaClients,
		Figures: figures, Resync: cfg.Resync, RetryMin: cfg.RetryMin, RetryMax: cfg.RetryMax, Now: cfg.now(),
		Workers: cfg.Workers, Recorder: mgr.GetEventRecorder("mediationcenter-operator"),
	}
	if cfg.AgencyPrincipals {
		r.Agencies, r.SecretReader = kafkaClients, mgr.GetAPIReader()
	}
	if err := r.SetupWithManager(mgr, figures, cfg.SkipNameValidation); err != nil {
		return err
	}
	sweep := &controller.Sweeper{Cluster: cluster, Cache: mgr.GetCache(), Retire: r.RetireOrphan}
	if err := mgr.Add(sweep); err != nil {
		return fmt.Errorf("while adding the sweep of deleted counties: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return fmt.Errorf("while adding the health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return fmt.Errorf("while adding the readiness check: %w", err)
	}
	return nil
}

func withDefaults(cfg Config) Config {
	if cfg.KafkaTimeout == 0 {
		cfg.KafkaTimeout = 10 * time.Second
	}
	if cfg.Resync == 0 {
		cfg.Resync = 5 * time.Minute
	}
	if cfg.RetryMin == 0 {
		cfg.RetryMin = time.Second
	}
	if cfg.RetryMax == 0 {
		// Low: a county that failed while Kafka was down is tried again
		// within seconds of its return, and a failed try costs little.
		cfg.RetryMax = 5 * time.Second
	}
	if cfg.Workers == 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.KubeQPS == 0 {
		cfg.KubeQPS = DefaultKubeQPS
	}
	if cfg.KubeBurst == 0 {
		cfg.KubeBurst = int(2 * cfg.KubeQPS)
	}
	return cfg
}

func (c Config) now() func() time.Time {
	if c.Now == nil {
		return time.Now
	}
	return c.Now
}
