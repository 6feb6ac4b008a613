# leadseg — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
UV_VERSION := 0.13.8

# Demo defaults; every one can be overridden from the environment.
export LEADSEG_LANDING_DIR ?= $(CURDIR)/data/landing
export LEADSEG_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export LEADSEG_EXPORT_DIR ?= $(CURDIR)/data/exports
export DBT_PROFILES_DIR := $(CURDIR)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export PATH := $(BIN):$(PATH)

# pytest-xdist workers for `make test` (tests/python/conftest.py says how tests are grouped).
TEST_WORKERS ?= 2

DEMO_LEADS ?= 2000
DEMO_SEED ?= 42
DEMO_END_DATE ?= 2026-11-01
DEMO_AS_OF ?= 2026-11-02

.DEFAULT_GOAL := help
.PHONY: help install run test test-spark lint fmt dev docs bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --python $(VENV)/bin/python requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(VENV)/bin/python --no-deps -e .
	@touch $@

install: $(VENV)/.installed ## create .venv from the lock file (requirements.lock)

run: install ## generate demo data and materialise every asset on DuckDB, then print a summary
	leadseg generate --out "$(LEADSEG_LANDING_DIR)" --leads $(DEMO_LEADS) --seed $(DEMO_SEED) --end-date $(DEMO_END_DATE)
	leadseg run --as-of $(DEMO_AS_OF)

test: install ## run every test: lint, pytest (builds the whole pipeline, dbt data + unit tests)
	$(MAKE) --no-print-directory lint
	pytest -n $(TEST_WORKERS) --dist loadgroup

lint: install ## ruff for Python, sqlfluff (dbt templater) for the models
	ruff check .
	ruff format --check .
	@mkdir -p .lint
	LEADSEG_WAREHOUSE=$(CURDIR)/.lint/empty.duckdb DBT_TARGET_PATH=$(CURDIR)/.lint/target \
		sqlfluff lint models --processes 2 --disable-progress-bar

fmt: install ## format Python with ruff, fix what sqlfluff can in the models
	ruff check --fix .
	ruff format .
	@mkdir -p .lint
	LEADSEG_WAREHOUSE=$(CURDIR)/.lint/empty.duckdb DBT_TARGET_PATH=$(CURDIR)/.lint/target \
		sqlfluff fix models --processes 2 --disable-progress-bar

dev: install ## serve the Dagster UI (lineage, runs, schedules) on http://127.0.0.1:3000
	mkdir -p "$(DAGSTER_HOME)"
	@[ -f "$(DAGSTER_HOME)/dagster.yaml" ] || cp orchestration/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"
	dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

docs: install ## build the dbt docs site into target/ (catalog from the demo warehouse when there is one)
	dbt parse --quiet
	@if [ "$${LEADSEG_TARGET:-duckdb}" != duckdb ] || [ -f "$(LEADSEG_WAREHOUSE)" ]; then \
		dbt docs generate; \
	else \
		echo "no warehouse at $(LEADSEG_WAREHOUSE) (make run builds one): docs without the catalog"; \
		dbt docs generate --empty-catalog --no-compile; \
	fi
	@echo "docs site: $${DBT_TARGET_PATH:-$(CURDIR)/target}/index.html (or: dbt docs serve --port 8080)"

test-spark: install ## opt-in: build the project on Apache Spark (local PySpark; needs Java 17)
	uv pip install --quiet --python $(VENV)/bin/python -e '.[spark]'
	pytest tests/spark -s

bench: install ## time the pipeline at scale S (BENCH_SCALE=1: 100k leads; docs/bench.md)
	leadseg bench --scale $${BENCH_SCALE:-1}


clean: ## remove generated data, dbt artefacts and the venv
	rm -rf data target logs .dagster_home .lint $(VENV)
