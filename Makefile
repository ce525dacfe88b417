# Tongxin (同心): one command per habit (STYLE.md 13). CI (.ci/run) calls the same targets.
#   make run     install what is missing, migrate, seed the demo once, run web + worker + beat
#   make test    the whole test suite (PostgreSQL when DATABASE_URL points at one, else SQLite)
#   make check   lint, migrations in step with the models, `check --deploy` on production settings
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
PY := .venv/bin/python
DJANGO := DEBUG=1 $(PY) manage.py

.PHONY: help install db run test lint check bench messages reset-demo

help:
	@echo "make run         start the whole platform on http://$(HOST):$(PORT)/ with demo data (Ctrl-C stops it)"
	@echo "make test        run the test suite (PYTEST_ARGS='-k name' to narrow it)"
	@echo "make lint        ruff check"
	@echo "make check       lint + makemigrations --check + check --deploy on production settings"
	@echo "make bench       run scripts/bench*.py"
	@echo "make messages    refresh and compile the zh_Hans catalog (needs GNU gettext; see docs/i18n.md)"
	@echo "make install     create .venv, install Python and front-end packages, copy vendor assets"
	@echo "make db          migrate and seed the demo district if the database has no users"
	@echo "make reset-demo  delete the embedded SQLite database, demo logins and broker files"

install:
	@PYTHON=$(PYTHON) scripts/bootstrap.sh

db: install
	$(DJANGO) migrate --noinput
	$(DJANGO) createcachetable
	$(DJANGO) seed_demo --if-empty

run: db
	$(DJANGO) run_platform --host $(HOST) --port $(PORT)

# pytest exits 5 when it collected no tests: that is a failure here, never a green run.
test: install
	DEBUG=1 .venv/bin/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

lint: install
	.venv/bin/ruff check .

# The deploy check runs on production settings (DEBUG off) with a throwaway environment.
check: lint
	$(DJANGO) makemigrations --check --dry-run
	DEBUG=0 ALLOWED_HOSTS=example.org BLIND_INDEX_KEY=x \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	FIELD_ENCRYPTION_KEYS="$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	@found=0; for script in scripts/bench*.py; do \
		[ -e "$$script" ] || continue; found=1; echo "== $$script"; DEBUG=1 $(PY) "$$script" || exit 1; \
	done; [ $$found -eq 1 ] || echo "no benchmarks yet"

# Keep --ignore=.venv on compilemessages too, or it recompiles Django's own catalogs in site-packages.
messages: install
	$(DJANGO) makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var --ignore=static
	$(DJANGO) compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

reset-demo:
	rm -f var/tongxin.sqlite3 var/tongxin.sqlite3-wal var/tongxin.sqlite3-shm var/demo-logins.txt var/celerybeat-schedule*
	rm -rf var/celery
