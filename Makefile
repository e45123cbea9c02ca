# The README names two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# A local PostgreSQL to run the suite against when DATABASE_URL is not set.
LOCAL_PG_URL ?= postgres://postgres@127.0.0.1:5432/studyapp
# Two processes or more (pytest-xdist): the suite takes minutes, not a quarter of an hour.
PYTEST_ARGS ?= -n auto

.PHONY: install run test test-sqlite test-postgres lint format messages ci

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_content
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

# Runs on DATABASE_URL when it is set, else on a local PostgreSQL if one answers. Browser
# tests drive the same views as on SQLite, and tests that touch no database (the engines',
# parsers', renderers') would only repeat themselves: they run on SQLite only.
test-postgres: install
	@url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python scripts/pg_available.py "$(LOCAL_PG_URL)"; then url="$(LOCAL_PG_URL)"; fi; \
	if [ -z "$$url" ]; then echo "PostgreSQL: none available, suite ran on SQLite only"; exit 0; fi; \
	echo "PostgreSQL: running the suite on $${url%%@*}@..."; \
	ONLY_DATABASE_TESTS=1 DATABASE_URL="$$url" $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l es --ignore '.venv/*' --ignore 'studyapp/engines/*' --ignore 'tests/*' --ignore 'benchmarks/*' --ignore 'staticfiles/*'
	DEBUG=1 $(BIN)/python manage.py compilemessages

ci: lint test
