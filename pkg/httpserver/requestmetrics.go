package httpserver

import (
	"go.opentelemetry.io/otel/metric"
)

// MetricRequestDuration is the OpenTelemetry semantic conventions' HTTP
// server metric (http_server_request_duration_seconds on /metrics), labelled
// by route (never by path: paths carry IDs), method and status code.
const MetricRequestDuration = "http.server.request.duration"

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
