# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# PostgreSQL for the second test run (pytest-django creates and drops test_bookings).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/bookings
# Redis for the third: on the production-like stack (PostgreSQL, django-q2 on Redis,
# Redis cache), again every test that enqueues, runs the worker or counts in the cache
# (the rest cannot tell the broker apart), including the gunicorn end-to-end test.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
REDIS_TESTS ?= tests/notifications tests/payments tests/pages/test_browser_paid.py tests/test_production_stack.py \
	tests/reliability/test_broker_down.py tests/reliability/test_lost_messages.py tests/reliability/test_database_down.py \
	tests/reliability/test_oversell.py tests/reliability/test_production_settings.py tests/reliability/test_rate_limits.py \
	tests/test_operations.py tests/api/test_throttling.py tests/api/test_booking_create.py

.PHONY: install browser run test test-sqlite test-postgres test-redis soak lint format migrations-check prod-check clean bench bench-smoke

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# Debian's chromium for the browser tests (Playwright drives it; no browser is downloaded).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	else echo "!!  /usr/bin/chromium is missing and cannot be installed: the browser tests will be skipped."; fi

# Development site on SQLite with the ORM broker: web server and queue worker together.
# On another port (make run PORT=8001) the links and the sandbox's address follow it,
# unless SITE_URL or SANDBOX_URL are set.
ifneq ($(PORT),8000)
RUN_URLS := SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" SANDBOX_URL="$${SANDBOX_URL:-http://127.0.0.1:$(PORT)/sandbox}"
endif
run: install
	DEBUG=true $(RUN_URLS) $(PY) manage.py migrate --noinput
	DEBUG=true $(RUN_URLS) $(PY) manage.py seed_demo
	@echo ""
	@echo "  Site:    http://127.0.0.1:$(PORT)/"
	@echo "  Admin:   http://127.0.0.1:$(PORT)/admin/  (staff / demo-staff-pass)"
	@echo "  Inbox:   http://127.0.0.1:$(PORT)/sandbox/  (every message and payment the sandbox received)"
	@echo "  API:     http://127.0.0.1:$(PORT)/api/docs/"
	@echo "  Ctrl-C stops the web server and the worker."
	@echo ""
	DEBUG=true $(RUN_URLS) PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Every test on SQLite, then on PostgreSQL, then on PostgreSQL with Redis.
test: install browser lint migrations-check test-sqlite test-postgres test-redis

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
		echo "=== the queue's and the cache's tests on PostgreSQL with Redis (broker and cache) ==="; \
		DATABASE_URL=$(TEST_POSTGRES_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(REDIS_TESTS); \
	else \
		echo ""; \
		echo "!!  Redis is not reachable at $(TEST_REDIS_URL): the Redis broker tests did NOT run."; \
		if [ "$$CI" = "true" ]; then exit 1; fi; \
	fi

# The reliability suite at soak size (more bookings and messages, schemathesis with 2000
# examples per operation, new cases each run); DATABASE_URL and REDIS_URL as you set them.
soak: install
	RELIABILITY_SOAK=1 $(PY) -m pytest tests/reliability -rA

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

# The benchmark: gunicorn, qcluster and the standalone sandbox on a database of its own
# (bookings_bench), driven by locust; results in bench/results/. About 8 minutes.
# BENCH_WORKERS (gunicorn), BENCH_Q_WORKERS, BENCH_DURATION (s per run) change it.
$(BIN)/.bench-installed: bench/requirements.txt $(BIN)/.installed
	$(BIN)/pip install --quiet -r bench/requirements.txt
	touch $@

bench: install $(BIN)/.bench-installed
	$(PY) -m bench.run

bench-smoke: install $(BIN)/.bench-installed
	$(PY) -m bench.run --smoke --database bookings_bench_smoke
