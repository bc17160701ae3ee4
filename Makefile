# 智服: the two commands are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install bench-deps bench-solver lint migrate seed messages ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the lock changes.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo city when empty, serve on http://127.0.0.1:8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (tasks run in process; Ctrl-C stops)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: install if needed and run the whole suite (SQLite by default;
## set DATABASE_URL / CELERY_BROKER_URL / REDIS_URL for PostgreSQL and Redis)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Optional peers for the solver benchmark (PyVRP); never needed by the platform
bench-deps: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"

## The solver against OR-Tools, PyVRP and greedy on two Solomon instances per class, 10 s each
bench-solver: bench-deps
	$(BIN)/python -m bench.solver --seconds 10 --methods ours,ortools,pyvrp,greedy \
	  --instances $(addprefix ../shared/bench/solomon/,R101.vrp R105.vrp R201.vrp R205.vrp \
	  C101.vrp C105.vrp C201.vrp C205.vrp RC101.vrp RC105.vrp RC201.vrp RC205.vrp)

## make lint: ruff on the whole tree, and no model change without its migration
lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: install
	$(BIN)/python manage.py seed_demo

## Recompile translations after editing locale/*/LC_MESSAGES/django.po
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv

ci:
	bash .ci/run

clean:
	rm -rf var/zhifu.sqlite3 var/test-media .pytest_cache
