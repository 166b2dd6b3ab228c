# mk/otelcol.mk — the OpenTelemetry Collector for tracing.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make otelcol     build bin/otelcol from source (cached: a second run does nothing)
#   make collector   run it locally: OTLP/HTTP on 127.0.0.1:4318, JSON lines into var/otel/
#   make run OTEL=http://127.0.0.1:4318   point every service of `make run` at a collector
#
# No prebuilt binary can be downloaded here, so the OpenTelemetry Collector
# Builder assembles one from source through the Go module proxy: the otlp
# receiver, the contrib file exporter and the file and env confmap providers
# (tools/otelcol/builder-config.yaml). Its generated sources and go.mod live in
# bin/.otelcol-build, outside go.work (GOWORK=off), so the collector's
# dependency graph never touches the workspace or tools/go.mod. Make's own
# timestamps are the cache: bin/otelcol is rebuilt only when the manifest
# changes, and the Go build cache makes even that cheap.

GO ?= go
OTELCOL_BUILDER  := go.opentelemetry.io/collector/cmd/builder@v0.139.0
OTELCOL_MANIFEST := tools/otelcol/builder-config.yaml
OTELCOL_BUILD    := bin/.otelcol-build
OTELCOL          := $(CURDIR)/bin/otelcol

.PHONY: otelcol collector

otelcol: $(OTELCOL)

$(OTELCOL): $(OTELCOL_MANIFEST)
	@mkdir -p $(dir $@)
	GOWORK=off GOFLAGS=-buildvcs=false $(GO) run $(OTELCOL_BUILDER) --config $(OTELCOL_MANIFEST)
	cp $(OTELCOL_BUILD)/otelcol $@

collector: $(OTELCOL)
	@mkdir -p var/otel
	OTELCOL_OUT=$(CURDIR)/var/otel $(OTELCOL) --config tools/otelcol/dev.yaml

# One variable points all five services of `make run` at a collector: they
# read the standard OTEL_* variables (pkg/telemetry), and devstack runs them
# in this one process.
ifneq ($(OTEL),)
export OTEL_EXPORTER_OTLP_ENDPOINT := $(OTEL)
export OTEL_EXPORTER_OTLP_PROTOCOL ?= http/protobuf
endif
