# mk/console-vendor.mk — the console's vendored browser libraries.
# Included by the root Makefile.
#
#   make console-vendor   fetch Apache ECharts $(ECHARTS_VERSION) from npm, copy
#                         its minified build, LICENSE and NOTICE into the console's
#                         static files and rewrite the manifest with its sha256
#
# The console embeds what it serves (go:embed) and loads nothing from a CDN:
# the county's pages must work on a government network that reaches no
# outside host. The files are committed; this target is how they were made
# and how a new version is brought in (change ECHARTS_VERSION, run it, commit).
# services/console's TestVendoredFilesMatchTheirManifest fails when the
# embedded file and the manifest disagree.

ECHARTS_VERSION ?= 6.1.0
CONSOLE_VENDOR  := services/console/web/static/vendor

.PHONY: console-vendor

console-vendor:
	@set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	(cd "$$scratch" && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
		tar xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js package/LICENSE package/NOTICE); \
	mkdir -p $(CONSOLE_VENDOR)/echarts; \
	cp "$$scratch/package/dist/echarts.min.js" "$$scratch/package/LICENSE" "$$scratch/package/NOTICE" $(CONSOLE_VENDOR)/echarts/; \
	sum=$$(sha256sum $(CONSOLE_VENDOR)/echarts/echarts.min.js | cut -d' ' -f1); \
	printf '[\n  {"name": "echarts", "version": "%s", "file": "echarts/echarts.min.js", "sha256": "%s", "source": "npm echarts@%s dist/echarts.min.js", "license": "echarts/LICENSE"}\n]\n' \
		"$(ECHARTS_VERSION)" "$$sum" "$(ECHARTS_VERSION)" > $(CONSOLE_VENDOR)/manifest.json; \
	echo "vendored echarts $(ECHARTS_VERSION) ($$sum)"
