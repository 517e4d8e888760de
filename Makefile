# Two entry points (see README): `make run` and `make test`. Everything else is their plumbing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test system-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test tools/cypher-lint/node_modules/.installed system-deps

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund
	touch $@

# Chromium for the browser tests comes from Debian's packages (no browser downloads here).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/somec-graph load seed_data
	$(BIN)/somec-graph app

test: install-test
	$(BIN)/python -m pytest
