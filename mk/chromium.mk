# mk/chromium.mk — the browser the console's browser test drives.
# Included by the root Makefile.
#
# e2e's TestConsoleInABrowser runs the web console (services/console) in
# headless Chromium through the DevTools protocol (chromedp) and leaves
# screenshots of its pages under var/console. `make test` needs Debian's
# `chromium`, and a Chinese font for the screenshots to be readable
# (`fonts-wqy-microhei`, small); missing, they are installed with apt-get
# when make runs as root on a Debian-like machine; otherwise make says how
# and stops. Outside `make test` the test is skipped when no Chromium is found.

.PHONY: chromium

chromium:
	@if { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } && \
		{ ! command -v fc-list >/dev/null || [ -n "$$(fc-list :lang=zh family)" ]; }; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Chromium or a Chinese font not found: installing Debian's chromium and fonts-wqy-microhei (the console's browser test)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei || \
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei; }; \
	else \
		echo "Chromium is needed by the console's browser test (e2e TestConsoleInABrowser)."; \
		echo "Install it (Debian: sudo apt-get install chromium fonts-wqy-microhei; Ubuntu: the chromium snap or Google Chrome)."; \
		exit 1; \
	fi
