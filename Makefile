# Fengqiao — one workspace, a few commands.
#
#   make run     the whole platform on the embedded broker and store
#   make test    every test of every module (what CI runs after `make lint`)
#   make lint    gofmt, go vet, the generated-files check, each module on its own, govulncheck
#   make bench   the benchmarks
#   make images  the seven container images into bin/images/, verified (mk/images.mk)
#   make loadtest  the platform under load, not part of `make test` (mk/loadtest.mk)
#   make fuzz    every fuzz target for FUZZTIME (default 10s); fuzz-long: 1,000,000 runs each
#
# `go test ./...` stops at a module's border; the `work` pattern (Go 1.25+)
# names every package of every module in go.work.

SHELL := /usr/bin/env bash
GO    ?= go
# The Go release every target builds and tests with: the newest patch of the
# go line in go.mod, fetched through the module proxy when the machine's own
# go is older (a machine-wide GOTOOLCHAIN=local would otherwise pin the
# installed one, and with it the standard library's fixed vulnerabilities).
export GOTOOLCHAIN := go1.26.11
# Test timeouts are generous: CI runs on 2 cores, and the first build of the
# embedded store and the envtest control plane is slow.
TEST_FLAGS ?= -count=1 -timeout 20m

.PHONY: token run test test-unit lint fmt vet bench build clean

include mk/operator.mk
include mk/openapi.mk
include mk/otelcol.mk
include mk/helm.mk
include mk/modules.mk
include mk/vuln.mk
include mk/images.mk
include mk/loadtest.mk
include mk/fuzz.mk
include mk/postgresql.mk
include mk/chromium.mk
include mk/console-vendor.mk

# Built, then run (not `go run`), so Ctrl-C reaches the platform itself,
# which stops every service and the embedded broker and store cleanly.
# The store's default backend is a private PostgreSQL under var/dev/mongo
# (mk/postgresql.mk installs it when missing); FENGQIAO_STORE=sqlite keeps
# the whole platform in one process.
run: postgresql
	@mkdir -p bin
	$(GO) build -o bin/fengqiao-dev ./devstack/cmd/fengqiao-dev
	bin/fengqiao-dev $(RUN_ARGS)

# An access token from the provider `make run` started, for curl:
# make token USER=officer-622901, or CLIENT=police-system-622901 for an
# agency's system; make token ARGS=-list names them all. USER counts only
# when given on the command line: the environment's USER is the login name.
token:
	@$(GO) run ./devstack/cmd/fengqiao-token $(if $(filter command line,$(origin USER)),-user $(USER)) $(if $(CLIENT),-client $(CLIENT)) $(ARGS)

# The operator's and the charts' envtest suites need kube-apiserver and etcd,
# the chart tests the helm CLI, the tracing e2e test a real OpenTelemetry
# Collector: all built from source into bin/. The console's browser test
# drives Debian's chromium (mk/chromium.mk).
test: envtest-assets otelcol helm postgresql chromium
	FENGQIAO_STORE=$(FENGQIAO_STORE) KUBEBUILDER_ASSETS=$(OPERATOR_BIN) FENGQIAO_REQUIRE_ENVTEST=1 \
	FENGQIAO_REQUIRE_OTELCOL=1 FENGQIAO_OTELCOL=$(OTELCOL) FENGQIAO_REQUIRE_CHROMIUM=1 \
	$(GO) test $(TEST_FLAGS) work

# Only the pure packages: no broker, store or apiserver (fast feedback).
test-unit:
	$(GO) test -count=1 -short work

lint: check-generated check-modules vulncheck
	@unformatted=$$(gofmt -l $$($(GO) list -m -f '{{.Dir}}') tools 2>/dev/null); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet work

fmt:
	gofmt -w $$($(GO) list -m -f '{{.Dir}}') tools

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m work

build:
	@mkdir -p bin
	$(GO) build -o bin/ ./services/*/cmd/* ./cmd/fengqiao ./devstack/cmd/fengqiao-dev ./devstack/cmd/fengqiao-load ./operators/mediationcenter/cmd/...

clean:
	rm -rf bin var
