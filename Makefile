# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# PostgreSQL for the second test run (pytest-django creates and drops test_bookings).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bookings

.PHONY: install run test test-sqlite test-postgres lint format migrations-check clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# Development site on SQLite with the ORM broker: web server and queue worker together.
run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "  Site:    http://127.0.0.1:$(PORT)/"
	@echo "  Admin:   http://127.0.0.1:$(PORT)/admin/"
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	DEBUG=true PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Every test, on SQLite and then on PostgreSQL.
test: install lint migrations-check test-sqlite test-postgres

test-sqlite: install
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	@if $(PY) -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', dbname='postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "=== tests on PostgreSQL ==="; \
		DATABASE_URL=$(TEST_POSTGRES_URL) $(PY) -m pytest; \
	else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  PostgreSQL is not reachable at $(TEST_POSTGRES_URL)"; \
		echo "!!  The PostgreSQL half of the suite did NOT run."; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DJANGO_SETTINGS_MODULE=bookings_project.settings_test $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
