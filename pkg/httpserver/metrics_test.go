package httpserver_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/telemetry"
)

// /metrics serves the service's own Prometheus registry, outside /v1: a
// scraper carries no caller identity.
func TestMetricsAreServed(t *testing.T) {
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	ctx, cancel := context.WithCancel(context.Background())
	p, err := telemetry.Setup(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	p.Metrics.RecordDeadLetter(ctx, "fengqiao.disputes.v1", "test.group")
	s, err := httpserver.New(httpserver.Options{Service: "test", Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Metrics: p.Prometheus, Auth: identity.TrustedHeaders{}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()

	resp, err := http.Get(s.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `fengqiao_messaging_dead_letters_total{`) {
		t.Errorf("/metrics: %d\n%s", resp.StatusCode, body)
	}
}
