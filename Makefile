# Safeguard: the only entry points a newcomer needs.
#   make run    install, start the database, migrate, load demo data, serve on :8000
#   make test   install test dependencies and run the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_FORCE ?= Norfolk
# The demo force-year ends when it is generated (DEMO_NOW), so its deadlines, overdue items and
# "this month" are current; the seed picks everything else, so the same seed and time give the
# same rows.
DEMO_SEED ?= $(shell date -d "-273 days" +%Y 2>/dev/null || date +%Y)
DEMO_NOW ?= $(shell date -Iminutes)
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install pango run test test-embedded e2e lint format typecheck bench demo clean-db stop-db precommit

help:
	@echo "make run     install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test    install test dependencies and run every test"
	@echo "make lint    ruff, mypy and Django's checks"
	@echo "make bench   run the benchmarks in benchmarks/"
	@echo "make demo    regenerate the demo data (DEMO_FORCE, DEMO_SEED)"

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP_PY): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

$(STAMP_NODE): package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP_PY) $(STAMP_NODE)

# Debian's chromium drives the browser tests; Playwright never downloads a browser here.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	 else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

# WeasyPrint (court documents) needs Debian's pango; PDFs are set in Liberation Sans (Arial's metrics).
pango: install
	@{ $(BIN)/python -c "import weasyprint" && fc-list | grep -q "Liberation Sans"; } >/dev/null 2>&1 || { \
	 if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; \
	 else sudo apt-get update -qq && sudo apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation; fi; }

# Ends by starting the web server and the job queue's worker together; Ctrl-C stops both.
run: install pango
	$(BIN)/safeguard migrate --no-input
	$(BIN)/safeguard oversight load-open-data
	$(BIN)/safeguard demo --force "$(DEMO_FORCE)" --seed $(DEMO_SEED) --now "$(DEMO_NOW)" --if-empty
	$(BIN)/safeguard demo_logins
	scripts/run-with-worker.sh $(BIN)/safeguard $(HOST):$(PORT)

test: install pango $(CHROMIUM)
	$(BIN)/safeguard check --fail-level WARNING
	$(BIN)/safeguard makemigrations --check --dry-run
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/pytest -p no:cacheprovider

# CI runs the suite on an external server (DATABASE_URL) and this smoke test of the embedded one.
test-embedded: install
	env -u DATABASE_URL SAFEGUARD_EMBEDDED_PGDATA=$(CURDIR)/var/pgdata-test $(BIN)/pytest -p no:cacheprovider \
		tests/test_embedded_database.py tests/orders tests/compliance

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/safeguard check --fail-level WARNING
	# bandit over src/: no medium or high finding left unexplained (make test runs it too)
	$(BIN)/pytest -q -p no:cacheprovider tests/access/test_bandit.py

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# The benchmarks also need the other linkage tools (the bench extra) and wrk (Debian's package).
bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk; \
	 else sudo apt-get install -y -qq wrk; fi; }
	$(BIN)/python benchmarks/run.py

demo: install
	$(BIN)/safeguard migrate --no-input
	$(BIN)/safeguard demo --force "$(DEMO_FORCE)" --seed $(DEMO_SEED) --now "$(DEMO_NOW)" --replace

stop-db: install
	$(BIN)/safeguard embedded-db stop

clean-db: stop-db
	rm -rf var/pgdata
