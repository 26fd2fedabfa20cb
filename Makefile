# The two commands of the README: `make run` (install, then start the app on the shipped data)
# and `make test` (install the dev tools, lint, type-check geo/, run every test).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint data bench screenshots mutation clean

run: $(VENV)/.app-installed
	$(PY) -m streamlit run ui/serve.py --server.port $(PORT)

test: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -n auto --maxprocesses 4

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

data: $(VENV)/.app-installed
	$(PY) -m geo build

screenshots: $(VENV)/.dev-installed
	CARTE_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/e2e

bench: $(VENV)/.dev-installed
	$(PY) -m bench

# Mutation testing of the modules that guard safety (not in CI: about an hour and a half on 2 cores;
# a second run only checks the mutants of functions changed since, or those named: mutmut run NAME…).
mutation: $(VENV)/.dev-installed
	$(PY) -m pip install --quiet mutmut==3.8.1
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut results

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools  # the venv's own setuptools 65.5 has PYSEC-2022-43012

$(VENV)/.app-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

# axe-core (the accessibility engine the browser tests run in every page and frame) comes from the npm registry.
AXE_CORE ?= 4.14.1

$(VENV)/.dev-installed: pyproject.toml Makefile | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@$(AXE_CORE)
	touch $(VENV)/.app-installed $@

clean:
	rm -rf $(VENV) artifacts .pytest_cache .ruff_cache mutants
