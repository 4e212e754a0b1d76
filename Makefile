# One-command workflows. `make run` starts the app on the built-in sample data;
# `make check` runs lint and every test (this is what CI runs).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-browser test-store check lint format sample bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py

test: $(STAMP)
	$(PY) -m pytest

# End-to-end tests in headless Chromium (/usr/bin/chromium; also part of `make test`).
test-browser: $(STAMP)
	$(PY) -m pytest -m browser tests/browser

# The workspace store's tests on the embedded default and on a throw-away PostgreSQL server.
test-store: $(STAMP)
	pg=$$(tools/test_postgres.sh start) && eval "$$pg" && trap 'tools/test_postgres.sh stop "$$CX_TEST_PGDATA"' EXIT && \
		CX_REQUIRE_POSTGRES=1 $(PY) -m pytest tests/core/test_store.py tests/core/test_store_s3.py tests/cli/test_store_cli.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy cx_core

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: lint test

sample: $(STAMP)
	$(PY) -m cx_core.sample

# Writes docs/BENCHMARKS.md (10k/100k/1M responses); quicker: $(PY) -m bench.run --sizes 10000,100000
bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
