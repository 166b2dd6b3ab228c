package telemetry

import (
	"context"
	"strings"
	"testing"
)

// Not parallel: t.Setenv.
func TestExportWanted(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing configured", nil, false},
		{"OTLP endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{"signal endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{"other signal's endpoint", map[string]string{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://c:4318"}, false},
		{"exporter chosen", map[string]string{"OTEL_TRACES_EXPORTER": "console"}, true},
		{"exporter none beats endpoint", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"} {
				t.Setenv(v, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if got := exportWanted("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); got != tc.want {
				t.Errorf("exportWanted = %v, want %v", got, tc.want)
			}
		})
	}
}

// Without a collector, spans are still made (trace context propagates) and
// metrics are kept for /metrics.
func TestSetupWithoutCollector(t *testing.T) {
	for _, v := range []string{"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"} {
		t.Setenv(v, "")
	}
	p, err := Setup(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	_, span := p.Tracer.Tracer("t").Start(context.Background(), "x")
	defer span.End()
	if !span.SpanContext().IsValid() {
		t.Error("no valid span without a collector: trace context would not propagate")
	}
	if p.Metrics == nil || p.Prometheus == nil {
		t.Error("no metrics without a collector: /metrics would be empty")
	}
}

// The version and the pod's attributes the chart sets reach every signal;
// on /metrics they are target_info's labels.
func TestResourceCarriesVersionAndPod(t *testing.T) {
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv(EnvServiceVersion, "1.4.2")
	t.Setenv(EnvPodName, "fengqiao-referral-7d9f-abcde")
	t.Setenv(EnvNamespaceName, "fengqiao-system")
	t.Setenv(EnvNodeName, "node-3")
	p, err := Setup(context.Background(), "referral")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	body := scrape(t, p)
	for _, want := range []string{`service_version="1.4.2"`, `k8s_pod_name="fengqiao-referral-7d9f-abcde"`,
		`k8s_namespace_name="fengqiao-system"`, `k8s_node_name="node-3"`, `service_name="referral"`} {
		if !strings.Contains(body, want) {
			t.Errorf("target_info lacks %s:\n%s", want, body)
		}
	}
}
