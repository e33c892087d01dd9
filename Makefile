# Ura. Set-up is two commands: `make run` (demo server) and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-pyproject
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# make test-pg: pytest-django creates (and drops) test_<name>[_gwN] next to this name, so a
# unique name keeps concurrent runs on one PostgreSQL server apart.
ifndef PG_DB
PG_DB := ura_ci_$(shell od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
endif
PG_URL ?= postgres://postgres@127.0.0.1:5432/$(PG_DB)
CHROMIUM := /usr/bin/chromium
PYTEST_SUITE := -m "not browser" --ignore=tests/browser -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: help venv run migrate demo test lint test-pg test-api test-browser messages clean

help:
	@echo "make run           set up, migrate, load the demo data and serve http://$(HOST):$(PORT)/"
	@echo "make test          checks, lint and the test suite (SQLite)"
	@echo "make test-pg       the test suite on PostgreSQL ($(subst $(PG_DB),<unique>,$(PG_URL)))"
	@echo "make test-api      Schemathesis against a live demo server: every API operation, two tokens"
	@echo "make test-browser  browser tests with Debian's Chromium"
	@echo "make messages      extract messages, generate sr-Cyrl from sr-Latn, compile the .mo files"
	@echo "make lint | migrate | demo | clean"

# The virtualenv, reinstalled only when pyproject.toml changes.
venv: $(STAMP)
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Ura needs Python 3.11, found " + sys.version.split()[0] + " ($(PYTHON)); run: make PYTHON=/path/to/python3.11 ...")'
	@if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV) (on Debian/Ubuntu: apt-get install python3.11-venv)." >&2; exit 1; }; \
	fi
	@echo "Installing Ura and its pinned dependencies into $(VENV) ..."
	@set -o pipefail; $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input -e '.[dev]' 2>&1 \
		| { grep -v 'is ignored: it is neither a file nor a directory' || true; } \
		|| { echo "pip install failed; run make again once it is fixed." >&2; exit 1; }
	@touch $@

migrate: $(STAMP)
	@$(BIN)/ura migrate --noinput --verbosity 0

demo: migrate
	@$(BIN)/ura demo

run: demo
	@echo "Ura runs on http://$(HOST):$(PORT)/ (demo accounts: see README.md). Stop it with Ctrl-C."
	@echo "Security keys (WebAuthn) need a domain name: open http://localhost:$(PORT)/ to try them."
	@URA_DEBUG=$${URA_DEBUG:-true} $(BIN)/ura runserver $(HOST):$(PORT)

lint: $(STAMP)
	@$(BIN)/ruff check ura tests

test: $(STAMP)
	@$(BIN)/ura check --fail-level WARNING
	@$(BIN)/ura makemigrations --check --dry-run
	@$(BIN)/ruff check ura tests
	@$(BIN)/pytest -q $(PYTEST_SUITE)

test-pg: $(STAMP)
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "PostgreSQL is not accepting connections on 127.0.0.1:5432." >&2; exit 1; \
	fi
	@echo "PostgreSQL: $(PG_URL) (test databases are created and dropped by the run)"
	@DATABASE_URL='$(PG_URL)' $(BIN)/pytest -q $(PYTEST_SUITE)

# Property-based tests of the API from its OpenAPI schema, against a live server with demo data.
test-api: $(STAMP)
	@BIN=$(BIN) tests/api/schemathesis_run.sh

test-browser: $(STAMP)
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium ..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; \
		fi; \
	fi
	@# axe-core for the accessibility tests, at the version pinned in tests/browser/package-lock.json.
	@if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then \
		command -v npm >/dev/null || { echo "The accessibility tests need npm (apt-get install npm)." >&2; exit 1; }; \
		npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	fi
	@$(BIN)/pytest -q -p no:xdist -m browser tests/browser

# Message catalogues: makemessages for the languages translators write, sr-Cyrl transliterated from
# sr-Latn, and every .mo compiled with polib (the .mo files are committed: no msgfmt needed to run Ura).
messages: $(STAMP)
	@$(BIN)/ura catalogues --extract

# Removes the virtualenv and caches; the database and secret key in var/ are kept.
clean:
	rm -rf $(VENV) .ruff_cache screenshots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
