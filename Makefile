# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup lint fmt migrate demo worker schema bench lock

# The lock files are installed exactly: every package pinned and checked against its hashes.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

## make lock: resolve requirements*.in into the hashed lock files (keeps existing pins; add
## --upgrade-package NAME to UV_FLAGS to move one)
lock: $(STAMP)
	$(VENV)/bin/uv pip compile requirements.in --generate-hashes --python-version 3.11 \
		--quiet $(UV_FLAGS) -o requirements.txt
	$(VENV)/bin/uv pip compile requirements-dev.in --generate-hashes --python-version 3.11 \
		--quiet $(UV_FLAGS) -c requirements.txt -o requirements-dev.txt

## make run: install, migrate, load demo data, print the logins, serve on http://127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: ruff, the layer contract, Django checks, migrations in sync, the OpenAPI contract
## and the full suite
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: $(STAMP)
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate

worker: $(STAMP)
	$(VENV)/bin/celery -A caio_site worker --loglevel=INFO
