# Suara Warga: `make run` serves the app, `make test` runs the whole test suite.
# Both work from a clean clone: they create .venv and install the pinned requirements first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
PYTEST_ARGS ?=
# pytest-xdist processes for `make test` (each has its own SQLite file and PostgreSQL schema:
# tests/conftest.py); 0 runs the suite serially in one process.
PYTEST_WORKERS ?= 2
# What the browser and poster tests run (Debian's packages; never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
PDFTOPPM ?= pdftoppm
APT_GET  ?= apt-get
USER_ID  ?= $(shell id -u)
BROWSER_PACKAGES := chromium poppler-utils

# Stamps inside .venv: pip runs again only when a requirements file changed (or .venv is new).
RUNTIME_STAMP := $(VENV)/.requirements.stamp
TEST_STAMP    := $(VENV)/.requirements-test.stamp
NODE_STAMP    := node_modules/.installed.stamp

.DEFAULT_GOAL := help
.PHONY: help run test browser-deps install install-test db-upgrade demo bench-submit bench-rollup bench-visit bench-portal

help:
	@echo "make run          set up, migrate the database, load the demo data and serve on 127.0.0.1:\$$PORT (5000)"
	@echo "make test         set up and run the test suite in PYTEST_WORKERS (2) processes (PYTEST_ARGS=... passed to pytest)"
	@echo "make browser-deps install Chromium and poppler-utils if missing (root), else print the command"
	@echo "make db-upgrade   apply the migrations to DATABASE_URL (default: SQLite under instance/)"
	@echo "make demo         load the demo data (does nothing when it is already there)"
	@echo "make bench-submit submissions/s through gunicorn vs a bare request (PostgreSQL must run)"
	@echo "make bench-visit  a citizen's visit through gunicorn vs a bare Flask app (BENCH_ARGS=--quick: < 2 min)"
	@echo "make bench-rollup every unit's and officer's quarter from 100k and 1M responses (PostgreSQL)"
	@echo "make bench-portal the portal index and a unit page, 1M responses vs the demo (PostgreSQL)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install -r requirements-test.txt
	touch $(RUNTIME_STAMP) $@

# Test-only JavaScript tools (axe-core for the accessibility checks), pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(RUNTIME_STAMP)
install-test: $(TEST_STAMP) $(NODE_STAMP)

# The default SQLite database lives in instance/, readable by its owner only (as the files the
# app creates there: surveys/db.py); a folder made by an older version is tightened too.
db-upgrade: $(RUNTIME_STAMP)
	mkdir -p -m 0700 instance
	chmod -R go= instance
	$(FLASK) db upgrade

demo: db-upgrade
	$(FLASK) demo load

# Absolute links (QR codes, tickets) name this address; a request for any other Host gets 400.
run: demo
	PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}" \
	TRUSTED_HOSTS="$${TRUSTED_HOSTS:-127.0.0.1,localhost}" \
	exec $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) --access-logfile - --no-control-socket wsgi:app

test: browser-deps $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Chromium and pdftoppm, installed with apt-get when missing and we may (root); otherwise stop with
# the command to run: the browser and poster tests fail without them, they are never skipped.
browser-deps:
	@if [ -x "$(CHROMIUM)" ] && command -v "$(PDFTOPPM)" >/dev/null 2>&1; then exit 0; fi; \
	if [ "$(USER_ID)" = 0 ] && command -v $(firstword $(APT_GET)) >/dev/null 2>&1; then \
		echo "installing Debian's $(BROWSER_PACKAGES) for the browser and poster tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(APT_GET) update && $(APT_GET) install -y --no-install-recommends $(BROWSER_PACKAGES) || exit 1; \
		if [ -x "$(CHROMIUM)" ] && command -v "$(PDFTOPPM)" >/dev/null 2>&1; then exit 0; fi; \
		echo "make: $(CHROMIUM) or $(PDFTOPPM) is still missing after apt-get install" >&2; exit 1; \
	fi; \
	echo "make: the tests need Chromium ($(CHROMIUM)) and poppler's pdftoppm; install them (as root) with:" >&2; \
	echo "    apt-get install $(BROWSER_PACKAGES)" >&2; \
	exit 1

# Benchmarks: manual, bounded, loopback only; results are written to bench/results/.
bench-submit: $(TEST_STAMP)
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgresql://suarawarga:suarawarga@127.0.0.1/suarawarga_bench_submit} \
	$(BIN)/python bench/submit_bench.py $(BENCH_ARGS)

bench-visit: $(TEST_STAMP)
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgresql://suarawarga:suarawarga@127.0.0.1/suarawarga_bench_visit} \
	$(BIN)/python bench/visit_bench.py $(BENCH_ARGS)

bench-rollup: $(TEST_STAMP)
	$(BIN)/python bench/rollup_bench.py --sizes 100000 1000000 $(BENCH_ARGS)

# Needs the kept 1M schema: make bench-rollup BENCH_ARGS="--sizes 1000000 --keep" first.
bench-portal: $(TEST_STAMP)
	$(BIN)/python bench/portal_bench.py $(BENCH_ARGS)
