// Command manager runs the MediationCenter operator: flags and environment
// in, manager.Run, exit code out. Besides KAFKA_BROKERS it reads the Kafka
// security settings the platform chart gives every service
// (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_TLS).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"fengqiao.dev/operators/mediationcenter/manager"
	"fengqiao.dev/pkg/config"
)

func main() {
	cfg := manager.Config{}
	flag.StringVar(&cfg.MetricsAddr, "metrics-bind-address", ":8080", "address of the Prometheus metrics endpoint; 0 disables it")
	flag.StringVar(&cfg.ProbeAddr, "health-probe-bind-address", ":8081", "address of /healthz and /readyz")
	flag.StringVar(&cfg.PprofAddr, "pprof-bind-address", "", "address of net/http/pprof; empty disables it")
	flag.BoolVar(&cfg.LeaderElection, "leader-elect", true, "elect one active replica through a Lease")
	flag.StringVar(&cfg.LeaderElectionNamespace, "leader-election-namespace", "", "namespace of the Lease; empty: the pod's own")
	brokers := flag.String("kafka-brokers", env("KAFKA_BROKERS", "localhost:9092"), "comma-separated Kafka bootstrap brokers (env KAFKA_BROKERS)")
	flag.DurationVar(&cfg.KafkaTimeout, "kafka-timeout", 10*time.Second, "timeout of each Kafka call")
	flag.BoolVar(&cfg.AgencyPrincipals, "kafka-agency-principals", env("KAFKA_AGENCY_PRINCIPALS", "") == "true",
		"create each county's agency Kafka principals and ACLs, passwords in Secrets (needs a Kafka superuser; env KAFKA_AGENCY_PRINCIPALS=true)")
	flag.IntVar(&cfg.Workers, "workers", 0, "counties reconciled at once; 0: the operator's default")
	kubeQPS := flag.Float64("kube-api-qps", manager.DefaultKubeQPS, "requests per second to the apiserver (burst twice as many)")
	flag.DurationVar(&cfg.Resync, "resync", 5*time.Minute, "how often an idle county is re-checked")
	flag.Parse()
	cfg.Brokers = strings.Split(*brokers, ",")
	cfg.KubeQPS = float32(*kubeQPS)
	security, err := config.KafkaSecurityFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mediationcenter operator: while reading the Kafka security settings:", err)
		os.Exit(2)
	}
	cfg.Kafka = security

	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := manager.Run(ctx, cfg, log); err != nil {
		fmt.Fprintln(os.Stderr, "mediationcenter operator:", err)
		os.Exit(1)
	}
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
