# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# PostgreSQL for the second test run (pytest-django creates and drops test_bookings).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bookings
# Redis for the third: the whole suite again on the production-like stack (PostgreSQL,
# django-q2 on Redis, Redis cache), including the gunicorn end-to-end test.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: install run test test-sqlite test-postgres test-redis lint format migrations-check prod-check clean

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
	@echo "  Admin:   http://127.0.0.1:$(PORT)/admin/  (staff / demo-staff-pass)"
	@echo "  Inbox:   http://127.0.0.1:$(PORT)/sandbox/  (every message and payment the sandbox received)"
	@echo "  API:     http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	DEBUG=true PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Every test on SQLite, then on PostgreSQL, then on PostgreSQL with Redis.
test: install lint migrations-check test-sqlite test-postgres test-redis

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

test-redis: install
	@if $(PY) -c "import redis; redis.Redis.from_url('$(TEST_REDIS_URL)', socket_connect_timeout=3).ping()" 2>/dev/null; then \
		echo "=== tests on PostgreSQL with Redis (broker and cache) ==="; \
		DATABASE_URL=$(TEST_POSTGRES_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest; \
	else \
		echo ""; \
		echo "!!  Redis is not reachable at $(TEST_REDIS_URL): the Redis broker tests did NOT run."; \
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

# Django's deployment checks and the migrations check, with production settings (DEBUG
# off, stand-in secrets): no warning may remain.
PROD_ENV = DEBUG=false ALLOWED_HOSTS=bookings.example.com SITE_URL=https://bookings.example.com \
	SECRET_KEY=prod-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	TWILIO_ACCOUNT_SID=AC0 TWILIO_AUTH_TOKEN=x RAZORPAY_KEY_ID=x RAZORPAY_KEY_SECRET=x \
	RAZORPAY_WEBHOOK_SECRET=x POSTMARK_SERVER_TOKEN=x ANYMAIL_WEBHOOK_SECRET=a:b
prod-check: install
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(PROD_ENV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
