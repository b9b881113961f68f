# The two commands:  make site  (or make serve)  and  make test.
# Every target creates what it needs by itself (.venv, node_modules, Chromium).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT   ?= 8000

.PHONY: all install site serve edit vendor-decap editor-screenshots check test golden lint format browser-deps screenshots docs-screenshots bench clean

all: site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) $(NODE_STAMP)   ## the venv and the offline checkers (axe-core, vnu.jar)

site: $(STAMP)            ## build the WeGO site from content/ into _site/
	$(PY) build.py build

serve: $(STAMP)           ## build, watch and live-reload on http://localhost:$(PORT)/
	$(PY) build.py serve --port $(PORT)

edit: $(STAMP) $(NODE_STAMP)   ## serve, plus the browser editor at http://localhost:$(PORT)/admin/ (decap-server on 127.0.0.1:8081)
	$(PY) build.py serve --port $(PORT) --edit

# Decap CMS is vendored in wego_site/data/decap-cms/ (its README says why).
DECAP_VERSION ?= 3.16.3
DECAP_DIR := wego_site/data/decap-cms
vendor-decap:             ## refresh $(DECAP_DIR) from npm: make vendor-decap DECAP_VERSION=x.y.z
	rm -rf .wego-cache/decap && mkdir -p .wego-cache/decap
	cd .wego-cache/decap && npm pack --silent decap-cms@$(DECAP_VERSION) >/dev/null && tar xzf decap-cms-$(DECAP_VERSION).tgz
	rm -f $(DECAP_DIR)/*.js $(DECAP_DIR)/*.wasm
	cd .wego-cache/decap/package/dist && cp decap-cms.js *.decap-cms.js *.wasm decap-cms.js.LICENSE.txt ../../../../$(DECAP_DIR)/
	cp .wego-cache/decap/package/package.json $(DECAP_DIR)/
	cd $(DECAP_DIR) && sha256sum -- *.js *.wasm > SHA256SUMS
	sed -i 's/^# Decap CMS .*/# Decap CMS $(DECAP_VERSION)/; s/decap-cms) [0-9.]* (MIT/decap-cms) $(DECAP_VERSION) (MIT/' $(DECAP_DIR)/README.md
	@echo "$(DECAP_DIR): Decap CMS $(DECAP_VERSION); update the integrity line in its README, then make test"

check: $(STAMP)           ## validate content only
	$(PY) build.py check

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --silent
	touch $(NODE_STAMP)

# Chromium comes from Debian (Playwright's own browser download does not work
# here). As root it is installed on the spot; otherwise the browser tests fail
# with a message saying how to install it.
browser-deps: $(NODE_STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "!!! /usr/bin/chromium is missing: run 'sudo apt-get install chromium'; browser tests will FAIL"; \
	  fi; \
	fi

test: $(STAMP) browser-deps   ## lint and run the whole test suite (browser tests included)
	$(VENV)/bin/ruff check wego_site tests benchmarks
	$(VENV)/bin/ruff format --check wego_site tests benchmarks
	$(VENV)/bin/mypy
	$(PY) -m pytest -n auto --dist worksteal

golden: $(STAMP)          ## accept the fixture site's output and the invalid sites' errors as golden (review with git diff)
	WEGO_GOLDEN=accept $(PY) -m pytest -q tests/test_golden.py

lint: $(STAMP)
	$(VENV)/bin/ruff check wego_site tests benchmarks
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format wego_site tests benchmarks

screenshots: $(STAMP) browser-deps   ## screenshots of every page type (375 and 1280 px) into test-artifacts/screenshots/
	WEGO_SHOTS=1 $(PY) -m pytest tests/test_browser.py -k page_types -q

bench: $(STAMP)           ## build-performance benchmarks against Hugo (benchmarks/README.md)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf _site .wego-cache test-artifacts .pytest_cache

docs-screenshots: $(STAMP) browser-deps   ## photograph the built site (make site first) into docs/screenshots/
	$(PY) docs/screenshots/take.py

editor-screenshots: $(STAMP) browser-deps   ## photograph the browser editor (on a copy of content/) into docs/editor/
	$(PY) docs/editor/take.py
