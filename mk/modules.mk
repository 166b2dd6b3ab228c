# mk/modules.mk — every module of go.work also builds on its own.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make check-modules   for each module, with GOWORK=off: go.mod and go.sum tidy,
#                        then build and vet every package and test
#
# Each service, the operator, api and pkg are separate modules so that each
# has its own dependency graph and can be installed, vendored and scanned
# alone. Sibling modules are required at the zero pseudo-version and replaced
# by their relative path: a module pulled in transitively needs its replace
# line too, because outside a workspace only the main module's replaces count.
# The workspace (go.work) is a convenience for editing several modules at
# once; this target is what keeps it from hiding a missing require.

WORKSPACE_MODULES = $(shell $(GO) list -m -f '{{.Dir}}')

.PHONY: check-modules

check-modules:
	@set -e; for dir in $(WORKSPACE_MODULES); do \
		echo "module $${dir#$(CURDIR)/} (GOWORK=off)"; \
		( cd $$dir && GOWORK=off $(GO) mod tidy -diff && GOWORK=off $(GO) vet ./... ) || { echo "module $${dir#$(CURDIR)/} is not tidy or does not vet on its own (GOWORK=off): see above; after a new import, run go mod tidy in it" >&2; exit 1; }; \
	done
