# Developer and CI entry points. Every target creates .venv itself: a fresh machine needs
# only Python 3.11 and pip.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= sources.yaml
DB ?= db/monitor.db

.PHONY: install test lint format run poll demo bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

test: install  ## the whole suite: lint, types, tests
	$(BIN)/ruff check monitor tests bench
	$(BIN)/ruff format --check monitor tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check monitor tests bench
	$(BIN)/ruff format --check monitor tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix monitor tests bench
	$(BIN)/ruff format monitor tests bench

run: install  ## the daemon, with the shipped configuration
	$(BIN)/monitor --config $(CONFIG) --db $(DB) run

poll: install  ## one cycle of every source, then exit
	$(BIN)/monitor --config $(CONFIG) --db $(DB) poll --once

demo: install  ## the whole product, offline, against a local fixture web
	$(BIN)/monitor demo

bench: install
	$(BIN)/python bench/poll_cycle.py
	$(BIN)/python bench/eval_classifier.py
	$(BIN)/python bench/eval_ofsted_pdfs.py
	$(BIN)/python bench/publish.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
