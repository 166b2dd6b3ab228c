# Fuzzing: every Fuzz target of every module, one after the other (go test
# fuzzes one target of one package at a time).
#
#   make fuzz                     each target for FUZZTIME (default 10s)
#   make fuzz FUZZTIME=1m         longer
#   make fuzz-long                each target for FUZZ_LONG executions
#                                 (default 1,000,000), the nightly run
#   make fuzz FUZZ=FuzzParse      only the targets whose name matches
#   make fuzz-long FUZZFLAGS=-parallel=1
#                                 one fuzzing worker, for a machine shared
#                                 with others (go test's default is one per
#                                 core)
#
# A failing input is written under the package's testdata/fuzz/<target>/;
# commit it: from then on plain `go test` replays it as a regression case.
# The targets are found, not listed, so a new one is fuzzed without a
# change here.

FUZZTIME  ?= 10s
FUZZ_LONG ?= 1000000x
FUZZ      ?= .
FUZZFLAGS ?=
FUZZ_DIRS := api pkg services embedded devstack operators

.PHONY: fuzz fuzz-long

fuzz:
	@$(MAKE) --no-print-directory fuzz-run FUZZ_FOR=$(FUZZTIME)

fuzz-long:
	@$(MAKE) --no-print-directory fuzz-run FUZZ_FOR=$(FUZZ_LONG)

.PHONY: fuzz-run
fuzz-run:
	@set -e; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' $(FUZZ_DIRS) | sort); do \
	  dir=$$(dirname $$file); \
	  for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file | grep -E -- '$(FUZZ)'); do \
	    echo "== $$dir $$target ($(FUZZ_FOR))"; \
	    (cd $$dir && $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZ_FOR) $(FUZZFLAGS) .); \
	  done; \
	done
