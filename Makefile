# The two commands: `make run` and `make test`. Both set up everything they need from scratch.
PYTHON ?= python3
NPM    ?= npm
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FRONT  := frontend
NODE_STAMP := $(FRONT)/node_modules/.installed
DIST   := $(FRONT)/dist/index.html
# As root (CI, containers) apt-get runs directly; otherwise through sudo.
APT    := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run test install frontend libssl chromium lint typecheck test-python test-frontend clean

## System packages, installed only when missing: OpenSSL 3 for LadybugDB's native module (Debian; on macOS
## use Homebrew's openssl@3), and Debian's Chromium for the browser tests.
libssl:
	@if command -v apt-get >/dev/null 2>&1 && ! ldconfig -p 2>/dev/null | grep -q 'libssl.so.3'; then \
		$(APT) update -qq && $(APT) install -y -qq libssl3; fi

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then $(APT) update -qq && $(APT) install -y -qq chromium; fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "flowmap needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: libssl $(STAMP)

# npm never downloads a browser here: the tests drive Debian's chromium.
$(NODE_STAMP): $(FRONT)/package.json $(FRONT)/package-lock.json
	cd $(FRONT) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

FRONT_SOURCES := $(shell find $(FRONT)/src $(FRONT)/public -type f -not -path '$(FRONT)/src/gql/*' 2>/dev/null) \
	$(wildcard $(FRONT)/index.html $(FRONT)/*.config.ts $(FRONT)/codegen.ts $(FRONT)/tsconfig*.json)
$(DIST): $(NODE_STAMP) graphql/schema.graphql $(FRONT_SOURCES)
	cd $(FRONT) && $(NPM) run build

frontend: $(DIST)

## make run: install, build the dashboard, load the seed map into the embedded store, serve on 127.0.0.1:8000
run: install frontend
	$(BIN)/flowmap serve --seed

## make test: install everything, then ruff, mypy, pytest, Vitest and the Playwright suite in Chromium
test: install lint typecheck test-python test-frontend

test-python: install
	$(BIN)/pytest

test-frontend: install chromium frontend
	cd $(FRONT) && $(NPM) test
	cd $(FRONT) && $(NPM) run e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .flowmap .pytest_cache .mypy_cache .ruff_cache $(FRONT)/node_modules $(FRONT)/dist $(FRONT)/test-results
