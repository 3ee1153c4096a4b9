##@ Browser (headless checks of notebooks, deck and report)

# Debian's chromium, driven by playwright-core with executablePath; nothing downloads a browser.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: chromium
chromium: $(STAMPS)/chromium ## install Debian's chromium for the headless checks if it is missing (needs root and apt)

$(STAMPS)/chromium:
	@mkdir -p $(STAMPS)
	@if ! command -v $(CHROMIUM) >/dev/null 2>&1; then \
	  echo "installing Debian's chromium (headless checks)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@$(CHROMIUM) --version
	@touch $@
