# petitionmap: `make run` starts the dashboard, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# pytest-xdist workers of make test (CI has 2 cores), each test file on one worker (its module fixtures are
# built once); TEST_WORKERS=0 runs every test in this process.
TEST_WORKERS ?= 2

# Work offline from the shared mirror when it is there and no mirror was given.
ifeq ($(origin PETITIONMAP_MIRROR), undefined)
ifneq ($(wildcard ../shared/data/README.md),)
export PETITIONMAP_MIRROR := $(abspath ../shared/data)
endif
endif

.PHONY: run test data bench lint browser clean

run: $(VENV)/.runtime data
	$(BIN)/petitionmap run --port $(PORT)

test: $(VENV)/.dev data browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(VENV)/.dev data browser
	$(BIN)/petitionmap bench

data: $(VENV)/.runtime
	$(BIN)/petitionmap data

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } || echo "chromium missing: install Debian's chromium package for the browser tests"

# The project installs itself editable: the `petitionmap` command, and its packages importable from anywhere.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf data/cache dashboard/static/geo .pytest_cache
