# mk/postgresql.mk — PostgreSQL's programs for the embedded store's default
# backend. Included by the root Makefile.
#
# `make run`, `make loadtest` and `make test` start FerretDB on a private
# PostgreSQL cluster under var/ (embedded.BackendPostgreSQL); they need
# initdb and postgres, on PATH or in Debian's /usr/lib/postgresql/*/bin.
# Missing, they are installed with apt-get when make runs as root on a
# Debian-like machine; otherwise make says how and stops. FENGQIAO_STORE=sqlite
# keeps everything in process and needs none of it.

FENGQIAO_STORE ?= postgresql

.PHONY: postgresql

postgresql:
ifeq ($(FENGQIAO_STORE),sqlite)
	@true
else
	@if command -v initdb >/dev/null && command -v postgres >/dev/null; then exit 0; fi; \
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "PostgreSQL not found: installing Debian's postgresql (the embedded store's default backend)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; }; \
	else \
		echo "PostgreSQL's initdb and postgres are needed by the embedded store's default backend."; \
		echo "Install them (Debian/Ubuntu: sudo apt-get install postgresql), or run with FENGQIAO_STORE=sqlite."; \
		exit 1; \
	fi
endif
