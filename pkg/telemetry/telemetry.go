// Package telemetry sets up a service's OpenTelemetry tracer and meter
// providers from the standard OTEL_* variables, and holds Fengqiao's
// telemetry vocabulary: the fengqiao.* attribute registry, the handoff spans'
// names and attributes, and the metrics every service exports.
//
// Spans are always created, so trace context propagates through HTTP and Kafka
// even when nothing is exported; they are exported over OTLP only when an
// endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT or its per-signal
// variants) or an exporter is chosen explicitly (OTEL_TRACES_EXPORTER,
// OTEL_METRICS_EXPORTER). Metrics are always kept, in a Prometheus registry
// of the service's own (served at /metrics), and also exported over OTLP
// when configured. Providers are returned, never installed globally,
// because the embedded platform runs five services in one process, each with
// its own service.name.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// Propagator carries W3C trace context and baggage in HTTP and Kafka headers.
var Propagator propagation.TextMapPropagator = propagation.NewCompositeTextMapPropagator(
	propagation.TraceContext{}, propagation.Baggage{})

// Providers are one service's telemetry providers.
type Providers struct {
	Tracer trace.TracerProvider
	Meter  metric.MeterProvider
	// Metrics are the service's instruments (handoffs, DLQ, lag, items).
	Metrics *Metrics
	// Prometheus serves the service's metrics in the Prometheus text format.
	// Each service has its own registry: devstack runs five in one process.
	Prometheus http.Handler
	shutdown   []func(context.Context) error
}

// Shutdown flushes and stops the exporters.
func (p *Providers) Shutdown(ctx context.Context) error {
	var errs []error
	for _, f := range p.shutdown {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}

// Setup builds the providers of the named service, whose resource carries
// service.version and the pod's Kubernetes attributes (resource.go).
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, override them.
func Setup(ctx context.Context, serviceName string) (*Providers, error) {
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(serviceName), semconv.ServiceNamespace("fengqiao")),
		resource.WithAttributes(resourceFromPlatform()...),
		resource.WithFromEnv(), resource.WithTelemetrySDK(), resource.WithHost())
	if err != nil {
		return nil, fmt.Errorf("while building the telemetry resource: %w", err)
	}
	p := &Providers{}
	tp, err := tracerProvider(ctx, res)
	if err != nil {
		return nil, err
	}
	p.Tracer = tp
	p.shutdown = append(p.shutdown, tp.Shutdown)
	mp, err := p.meterProvider(ctx, res)
	if err != nil {
		return nil, err
	}
	p.Meter = mp
	p.shutdown = append(p.shutdown, mp.Shutdown)
	p.Metrics = NewMetrics(mp)
	return p, nil
}

// meterProvider reads into a registry of the service's own, served by
// p.Prometheus, and exports over OTLP when the environment asks for it.
func (p *Providers) meterProvider(ctx context.Context, res *resource.Resource) (*sdkmetric.MeterProvider, error) {
	reg := prometheus.NewRegistry()
	prom, err := otelprom.New(otelprom.WithRegisterer(reg))
	if err != nil {
		return nil, fmt.Errorf("while creating the Prometheus exporter: %w", err)
	}
	p.Prometheus = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	opts := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithReader(prom)}
	if exportWanted("OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
		reader, err := autoexport.NewMetricReader(ctx)
		if err != nil {
			return nil, fmt.Errorf("while creating the metric exporter: %w", err)
		}
		opts = append(opts, sdkmetric.WithReader(reader))
	}
	return sdkmetric.NewMeterProvider(opts...), nil
}

func tracerProvider(ctx context.Context, res *resource.Resource) (*sdktrace.TracerProvider, error) {
	opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if exportWanted("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
		exp, err := autoexport.NewSpanExporter(ctx)
		if err != nil {
			return nil, fmt.Errorf("while creating the span exporter: %w", err)
		}
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	return sdktrace.NewTracerProvider(opts...), nil
}

// exportWanted reports whether the environment asks for an exporter: an
// explicit exporter choice other than "none", or an OTLP endpoint. autoexport
// alone would default to OTLP on localhost and log errors on every machine
// without a collector.
func exportWanted(exporterVar, signalEndpointVar string) bool {
	if v := os.Getenv(exporterVar); v != "" {
		return v != "none"
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv(signalEndpointVar) != ""
}
