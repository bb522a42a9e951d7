# Batang Smart Training Center portal. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test lint format worker beat bench messages vendor

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install the pinned requirements

run: $(STAMP) ## Serve the portal on http://127.0.0.1:8000 with demo data (SQLite, no services)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	@if $(PY) manage.py help seed_demo >/dev/null 2>&1; then $(PY) manage.py seed_demo; fi
	$(PY) manage.py ensure_demo_staff
	@echo "Mail the portal sends is written to var/outbox/."
	$(PY) manage.py runserver $(HOST):$(PORT)

node-tools: ## Install the check-time npm tools (vnu-jar) into node_modules/ (idempotent)
	bash scripts/node_tools.sh

test: $(STAMP) node-tools ## Run the whole test suite (PostgreSQL/Redis/Chromium when configured)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check + format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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

messages: $(STAMP) ## Extract and compile translations (needs gettext)
	$(PY) scripts/messages.py

vendor: ## Refresh static/vendor/ from npm (package.json)
	bash scripts/vendor.sh

UI_CHECKS := tests/e2e/test_ui_check.py tests/e2e/test_transfer_size.py tests/e2e/test_no_javascript.py

check-ui: $(STAMP) node-tools ## axe-core + Nu HTML Checker on every page (seed_demo), budget, no-JS; prints a summary
	rm -rf var/ui-check && mkdir -p var/ui-check
	$(VENV)/bin/pytest -q -p no:cacheprovider $(UI_CHECKS) $(PYTEST_ARGS); status=$$?; \
	  echo; cat var/ui-check/summary.txt 2>/dev/null; \
	  head -qn1 var/ui-check/transfer-*.txt 2>/dev/null; exit $$status

screenshots: $(STAMP) node-tools ## Screenshots of the main pages at 360 px into docs/screenshots/
	PORTAL_SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -q -p no:cacheprovider \
	  tests/e2e/test_ui_check.py -k every_page
