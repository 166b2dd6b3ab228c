# mk/vuln.mk — known vulnerabilities in what each module calls.
# Included by the root Makefile; every path is relative to the repository root.
#
#   make vulncheck   govulncheck on every module (GOWORK=off), against a local
#                    copy of the Go vulnerability database
#
# govulncheck reads its database from vuln.go.dev, which this machine cannot
# reach. The golang.org/x/vulndb module, served by the Go module proxy, holds
# the same OSV entries (data/osv); its indexdb command writes them in the
# layout govulncheck's -db file:// flag reads. Pinning the module's version
# pins the database: bump VULNDB_VERSION to learn of newer advisories.
# Findings that cannot reach us are listed, with reasons, in .vulncheck-accepted.

GOVULNCHECK_VERSION := v1.9.0
VULNDB_VERSION      := v0.0.0-20261105234957-e22db6528018
GOVULNCHECK := $(CURDIR)/bin/govulncheck
VULNDB      := $(CURDIR)/bin/vulndb
VULNCHECK   := $(CURDIR)/bin/vulncheck

.PHONY: vulncheck

$(GOVULNCHECK): mk/vuln.mk
	@mkdir -p $(dir $@)
	GOWORK=off GOBIN=$(dir $@) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)
	@touch $@

$(VULNDB)/index/db.json: mk/vuln.mk
	@mkdir -p $(CURDIR)/bin/.vulndb-tools
	GOWORK=off GOBIN=$(CURDIR)/bin/.vulndb-tools $(GO) install golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION)
	rm -rf $(VULNDB)
	src=$$(cd /tmp && GOWORK=off GOFLAGS=-mod=mod $(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/.*"Dir": "\(.*\)".*/\1/p') && \
		$(CURDIR)/bin/.vulndb-tools/indexdb -vulns $$src/data/osv -out $(VULNDB)

$(VULNCHECK): tools/cmd/vulncheck/main.go
	@mkdir -p $(dir $@)
	cd tools && GOWORK=off $(GO) build -o $@ ./cmd/vulncheck

vulncheck: $(GOVULNCHECK) $(VULNDB)/index/db.json $(VULNCHECK)
	@status=0; for dir in $(WORKSPACE_MODULES); do \
		name=$${dir#$(CURDIR)/}; \
		( cd $$dir && GOWORK=off $(GOVULNCHECK) -db file://$(VULNDB) -format json ./... ) \
			| $(VULNCHECK) -module $$name -accepted $(CURDIR)/.vulncheck-accepted || status=1; \
	done; exit $$status
