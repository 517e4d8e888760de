# Two entry points (see README): `make run` and `make test`. Everything else is their plumbing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast lint install install-test system-deps

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

# From Debian's packages: Chromium for the browser tests (no browser downloads here), and a JDK
# with Maven, which build the real Neo4j 5.26 the suite also runs on (tools/neo4j/server).
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || { \
	  apt-get update -qq && apt-get install -y -qq chromium openjdk-17-jdk-headless maven >/dev/null; }

run: install
	$(BIN)/somec-graph load --seed
	$(BIN)/somec-graph app

lint: install-test
	$(BIN)/ruff check somec_graph tests app.py app_pages
	$(BIN)/mypy

# The whole suite on both stores: the embedded default and a real Neo4j 5.26.
test: lint
	$(BIN)/python -m pytest --store both

# A developer's quick tier: embedded store only, no slow or browser tests.
test-fast: install-test
	$(BIN)/python -m pytest --store embedded -m "not slow and not browser"
