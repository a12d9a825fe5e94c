# The two commands: `make run` and `make test`. Both set up everything they need from scratch.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint typecheck clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "flowmap needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

## make run: install, load the seed map into the embedded store, serve API on 127.0.0.1:8000
run: install
	$(BIN)/flowmap serve --seed

## make test: install with dev extras, then ruff, mypy and pytest
test: install lint typecheck
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .flowmap .pytest_cache .mypy_cache .ruff_cache
