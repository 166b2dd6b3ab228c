package httpserver_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/telemetry"
)

// /metrics serves the service's own Prometheus registry, outside /v1: a
// scraper carries no caller identity; requests are timed per route.
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
	s, err := httpserver.New(httpserver.Options{Service: "test", Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler), Meter: p.Meter, Metrics: p.Prometheus, Auth: identity.TrustedHeaders{}})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()

	s.API.GET("/things/:id", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	for _, path := range []string{"/v1/things/1", "/v1/things/2", "/v1/no-such-thing/3", "/nowhere/4"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+path, nil)
		req.Header.Set("X-Fengqiao-County", "622901")
		req.Header.Set("X-Fengqiao-Agency", "bafang-police")
		req.Header.Set("X-Fengqiao-Role", "officer")
		req.Header.Set("X-Fengqiao-Officer", "A1")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}

	if resp, err := http.Get(s.URL() + "/readyz"); err == nil {
		resp.Body.Close()
	}

	resp, err := http.Get(s.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `fengqiao_messaging_dead_letters_total{`) {
		t.Errorf("/metrics: %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), "\nfengqiao_service_ready{") || !strings.Contains(string(body), "} 1\n") {
		t.Errorf("/metrics lacks the last readiness answer:\n%s", body)
	}
	// Requests are counted by route, never by path: two IDs, one series.
	want := `http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="204",http_route="/v1/things/:id",`
	if n := strings.Count(string(body), want); n != 1 {
		t.Errorf("/metrics has %d series %s…, want 1\n%s", n, want, body)
	}
	if !strings.Contains(string(body), "http_server_request_duration_seconds_count{") || strings.Contains(string(body), `/v1/things/1`) ||
		strings.Contains(string(body), "no-such-thing") || strings.Contains(string(body), "nowhere") {
		t.Errorf("request durations not by route:\n%s", body)
	}
}
