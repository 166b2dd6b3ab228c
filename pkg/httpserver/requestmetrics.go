package httpserver

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/metric"
)

// MetricRequestDuration is the OpenTelemetry semantic conventions' HTTP
// server metric (http_server_request_duration_seconds on /metrics), labelled
// by route (never by path: paths carry IDs), method and status code.
const MetricRequestDuration = "http.server.request.duration"

// MetricServiceReady is 1 when the service's last readiness probe passed,
// 0 when it failed (fengqiao_service_ready on /metrics). A pod failing its
// probe leaves its Service's endpoints, but keeps being scraped by pod, so
// the alert on it sees what the kubelet saw.
const MetricServiceReady = "fengqiao.service.ready"

// requestDurationBuckets are the conventions' advised boundaries, so
// dashboards built for other services' HTTP metrics read ours as well.
var requestDurationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// newRequestDuration creates the histogram; the only error is an invalid
// name, a constant here.
func newRequestDuration(mp metric.MeterProvider) metric.Float64Histogram {
	h, _ := mp.Meter("fengqiao.dev/pkg/httpserver").Float64Histogram(MetricRequestDuration,
		metric.WithUnit("s"), metric.WithDescription("Duration of HTTP server requests."),
		metric.WithExplicitBucketBoundaries(requestDurationBuckets...))
	return h
}

// readiness holds the last /readyz answer: 1 ready, 0 not, -1 not asked yet.
type readiness struct{ last atomic.Int64 }

func newReadiness(mp metric.MeterProvider) *readiness {
	r := &readiness{}
	r.last.Store(-1)
	// The only error is an invalid name, a constant here.
	_, _ = mp.Meter("fengqiao.dev/pkg/httpserver").Int64ObservableGauge(MetricServiceReady,
		metric.WithDescription("1 when the last readiness probe found the broker and the store reachable, 0 when not."),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			if v := r.last.Load(); v >= 0 {
				o.Observe(v)
			}
			return nil
		}))
	return r
}

func (r *readiness) record(ready bool) {
	if ready {
		r.last.Store(1)
	} else {
		r.last.Store(0)
	}
}
