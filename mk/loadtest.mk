# mk/loadtest.mk — the platform under load (not part of `make test`).
# Included by the root Makefile; every path is relative to the repository root.
#
#   make loadtest                          5 disputes/s for 60 s on a fresh in-process platform
#   make loadtest LOAD_ARGS='-rate 20 -preload 1000 -profile var/load.pprof'
#   make loadtest LOAD_ARGS='-intake http://127.0.0.1:8081 -brokers 127.0.0.1:19092'   a running `make run`
#
# Prints the latency from the POST to all three copies on the county topics
# beside a raw two-hop kafka-go pipe measured in the same run, and exits 1
# when a target given in LOAD_ARGS (-max-p99, -max-p50-ratio, ...) is
# missed. `bin/fengqiao-load -h` lists every flag; docs/performance.md has
# the figures measured with it.

LOAD_ARGS ?=

.PHONY: loadtest

loadtest: postgresql
	@mkdir -p bin
	$(GO) build -o bin/fengqiao-load ./devstack/cmd/fengqiao-load
	bin/fengqiao-load $(LOAD_ARGS)
