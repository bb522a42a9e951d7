# Batang Smart Training Center portal. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# The test suite runs as CI runs it: on PostgreSQL and Redis (each pytest-xdist worker
# gets its own test database and its own Redis database after this one's), in parallel.
# The tests only touch test_<name> databases, so an exported DATABASE_URL is used; they
# flush their Redis databases, so REDIS_URL is always TEST_REDIS_URL (8 and up).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/batang_portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/8
PYTEST_WORKERS ?= auto
UV_VERSION := 0.13.9

.DEFAULT_GOAL := help
.PHONY: help install run test provision lint format worker beat bench faults messages vendor node-tools check-ui screenshots

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# uv installs the pinned set in seconds where pip takes a minute (most of a fresh
	@# CI run's set-up); pip does it alone when uv cannot be had or cannot reach the index.
	@# --compile-bytecode as pip does: where PYTHONDONTWRITEBYTECODE is set (this machine)
	@# every process would otherwise compile Django and Celery from source at each start.
	{ $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) \
	  && $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-dev.txt; } \
	|| $(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install the pinned requirements

# Development targets: debug on (with the embedded development secrets), links in mail
# pointing at the local server. Settings keep debug off unless told.
run worker beat messages: export DJANGO_DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)

run: $(STAMP) ## Serve the portal on http://127.0.0.1:8000 with demo data (SQLite, no services)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	@if $(PY) manage.py help seed_demo >/dev/null 2>&1; then $(PY) manage.py seed_demo; fi
	$(PY) manage.py ensure_demo_staff
	@echo "Mail the portal sends is written to var/outbox/."
	$(PY) manage.py runserver $(HOST):$(PORT)

node-tools: ## Install the check-time npm tools (vnu-jar) into node_modules/ (idempotent)
	bash scripts/node_tools.sh

test: export DATABASE_URL ?= $(TEST_DATABASE_URL)
test: export REDIS_URL = $(TEST_REDIS_URL)
test: $(STAMP) provision ## Run the whole suite in parallel on PostgreSQL, Redis and Chromium
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 8 $(PYTEST_ARGS)

provision: ## Start PostgreSQL/Redis and install Chromium, Java, npm tools when missing (root)
	bash scripts/provision.sh

lint: $(STAMP) ## ruff check + format check + the import contracts (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP) ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: $(STAMP) ## Run a Celery worker against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(VENV)/bin/celery -A batang_portal worker -l info -Q urgent,periodic,default,bulk

beat: $(STAMP) ## Run the Celery scheduler against REDIS_URL
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	$(VENV)/bin/celery -A batang_portal beat -l info -s var/celerybeat-schedule

bench: $(STAMP) ## Load-test the portal beside a bare Django ceiling (PostgreSQL, Redis, wrk)
	@command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py $(BENCH_ARGS)

faults: $(STAMP) ## Inject faults (Redis, PostgreSQL, mail, worker, beat) into a production-like run under load; FAULT_SECONDS=20 for short ones
	$(PY) bench/faults.py $(if $(FAULT_SECONDS),--fault-seconds $(FAULT_SECONDS)) $(FAULTS_ARGS)

messages: $(STAMP) ## Extract and compile translations (needs gettext)
	$(PY) scripts/messages.py

vendor: ## Refresh static/vendor/ from npm (package.json)
	bash scripts/vendor.sh

UI_CHECKS := tests/e2e/test_ui_check.py tests/e2e/test_transfer_size.py tests/e2e/test_no_javascript.py

check-ui: $(STAMP) provision ## axe-core + Nu HTML Checker on every page (seed_demo), budget, no-JS; prints a summary
	rm -rf var/ui-check && mkdir -p var/ui-check
	$(VENV)/bin/pytest -q -p no:cacheprovider $(UI_CHECKS) $(PYTEST_ARGS); status=$$?; \
	  echo; cat var/ui-check/summary-*.txt 2>/dev/null; \
	  head -qn1 var/ui-check/transfer-*.txt 2>/dev/null; exit $$status

screenshots: $(STAMP) provision ## Screenshots of the main pages at 360 px into docs/screenshots/
	PORTAL_SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -q -p no:cacheprovider \
	  tests/e2e/test_ui_check.py -k every_page
