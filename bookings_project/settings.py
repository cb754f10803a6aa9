"""Settings for the booking platform, read from the environment (django-environ).

Development works with no configuration at all: SQLite, django-q2's ORM broker
and the provider sandbox. With DEBUG off every secret must come from the
environment; a missing one stops the process at start.
"""

import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# `makemigrations` (the migrations check) compares the models with the migration files
# and uses no secret: it runs in a bare checkout, with no configuration at all.
MIGRATIONS_ONLY = sys.argv[1:2] == ["makemigrations"]


def secret(name: str, dev_default: str) -> str:
    """A secret from the environment; a development default only when DEBUG is on
    (or for makemigrations, which never reads it)."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG or MIGRATIONS_ONLY:
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set in the environment when DEBUG is off.")


SECRET_KEY = secret("SECRET_KEY", "dev-only-insecure-secret-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "phonenumber_field",
    "csp",
    "bookings",
    "payments",
    "notifications",
]

MIDDLEWARE = [
    "bookings_project.request_id.RequestIdMiddleware",
    "bookings_project.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bookings_project.csp.CSPMiddleware",
]

ROOT_URLCONF = "bookings_project.urls"
WSGI_APPLICATION = "bookings_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bookings.pages.context.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite by default. IMMEDIATE transactions take the write lock at BEGIN, so
# concurrent writers queue on the busy timeout instead of failing with
# "database is locked" when a read lock cannot be upgraded.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # Off by default: Django's development server gives most requests a thread, and a
    # connection, of their own. The bench's sandbox keeps them (bench/stack.py).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound by the server, and statements prepared from their second run
        # in a session: PostgreSQL parses and plans the booking's few statements once per
        # connection instead of per request (measured: a third less database CPU per
        # booking). Off behind a pooler in transaction mode that cannot keep them.
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 2})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Time, language, money ----------------------------------------------------
LANGUAGE_CODE = "en-in"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Kolkata")  # the business time zone
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = env.str("PHONE_REGION", default="IN")
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="INR")

# --- Booking rules --------------------------------------------------------------
BUSINESS_NAME = env.str("BUSINESS_NAME", default="Demo Studio")
# The public address of the site: links in messages, provider callbacks.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
BOOKING_MIN_LEAD_MINUTES = env.int("BOOKING_MIN_LEAD_MINUTES", default=30)
BOOKING_MAX_DAYS_AHEAD = env.int("BOOKING_MAX_DAYS_AHEAD", default=60)
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
# Customers may cancel online until this long before the start; staff at any time.
BOOKING_CANCEL_WINDOW_HOURS = env.int("BOOKING_CANCEL_WINDOW_HOURS", default=2)

# --- Providers ------------------------------------------------------------------------
# The sandbox app (sandbox/) answers the Twilio, Razorpay and Postmark APIs on
# loopback so that the real SDKs can be used with no account. It is mounted only in
# development; production settings refuse it. Pointing the SDKs at it is done by the
# *_API_BASE settings alone: the code that calls providers does not know about it.
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=DEBUG)
if SANDBOX_ENABLED and not DEBUG:
    raise ImproperlyConfigured("SANDBOX_ENABLED needs DEBUG: the sandbox is never mounted in production.")
SANDBOX_URL = env.str("SANDBOX_URL", default="http://127.0.0.1:8000/sandbox")

TWILIO_ACCOUNT_SID = secret("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000")
TWILIO_AUTH_TOKEN = secret("TWILIO_AUTH_TOKEN", "sandbox-twilio-auth-token")
TWILIO_SMS_FROM = env.str("TWILIO_SMS_FROM", default="+15005550006")
TWILIO_WHATSAPP_FROM = env.str("TWILIO_WHATSAPP_FROM", default="whatsapp:+14155238886")
TWILIO_API_BASE = env.str("TWILIO_API_BASE", default=f"{SANDBOX_URL}/twilio" if DEBUG else "https://api.twilio.com")
TWILIO_TIMEOUT = env.float("TWILIO_TIMEOUT", default=10.0)

RAZORPAY_KEY_ID = secret("RAZORPAY_KEY_ID", "rzp_test_sandbox")
RAZORPAY_KEY_SECRET = secret("RAZORPAY_KEY_SECRET", "sandbox-razorpay-key-secret")
RAZORPAY_WEBHOOK_SECRET = secret("RAZORPAY_WEBHOOK_SECRET", "sandbox-razorpay-webhook-secret")
RAZORPAY_API_BASE = env.str(
    "RAZORPAY_API_BASE", default=f"{SANDBOX_URL}/razorpay" if DEBUG else "https://api.razorpay.com"
)
RAZORPAY_TIMEOUT = env.float("RAZORPAY_TIMEOUT", default=10.0)
RAZORPAY_CHECKOUT_JS = env.str(
    "RAZORPAY_CHECKOUT_JS",
    default=f"{SANDBOX_URL}/razorpay/checkout.js" if DEBUG else "https://checkout.razorpay.com/v1/checkout.js",
)
# Payments (payments/): the provider adapter, refund retries (as for notifications), and
# reconciliation: orders still unpaid this long after they were made are asked about,
# for as long as the window, so a lost webhook cannot leave a paid booking unconfirmed.
PAYMENT_GATEWAY = env.str("PAYMENT_GATEWAY", default="payments.gateway.RazorpayGateway")
PAYMENTS_REFUND_MAX_ATTEMPTS = env.int("PAYMENTS_REFUND_MAX_ATTEMPTS", default=8)
PAYMENTS_REFUND_RETRY_BASE_SECONDS = env.float("PAYMENTS_REFUND_RETRY_BASE_SECONDS", default=60)
PAYMENTS_REFUND_RETRY_MAX_SECONDS = env.float("PAYMENTS_REFUND_RETRY_MAX_SECONDS", default=3600)
PAYMENTS_REFUND_STALE_SECONDS = env.int("PAYMENTS_REFUND_STALE_SECONDS", default=120)
PAYMENTS_REFUND_ENQUEUE_GRACE_SECONDS = env.int("PAYMENTS_REFUND_ENQUEUE_GRACE_SECONDS", default=60)
PAYMENTS_RECONCILE_AFTER_MINUTES = env.int("PAYMENTS_RECONCILE_AFTER_MINUTES", default=5)
PAYMENTS_RECONCILE_WINDOW_HOURS = env.int("PAYMENTS_RECONCILE_WINDOW_HOURS", default=24)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="anymail.backends.postmark.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Demo Studio <bookings@example.com>")
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": secret("POSTMARK_SERVER_TOKEN", "sandbox-postmark-server-token"),
    "POSTMARK_API_URL": env.str(
        "POSTMARK_API_URL", default=f"{SANDBOX_URL}/postmark/" if DEBUG else "https://api.postmarkapp.com/"
    ),
    "WEBHOOK_SECRET": secret("ANYMAIL_WEBHOOK_SECRET", "sandbox:anymail-webhook-secret"),
}

# --- Sandbox --------------------------------------------------------------------------
# Where the sandbox posts the webhooks a provider would send to this site (a path is
# taken on SITE_URL when sending; empty: none are sent), and how long after the request
# that caused them. SANDBOX_FAULTS: latency and failures per provider at start, e.g.
# "twilio:latency=2-3;razorpay:failure_rate=0.2,failure_statuses=500/503" (see
# sandbox/faults.py); /sandbox/api/faults/ changes them at run time.
if SANDBOX_ENABLED:
    INSTALLED_APPS.append("sandbox")
SANDBOX_RAZORPAY_WEBHOOK_URL = env.str("SANDBOX_RAZORPAY_WEBHOOK_URL", default="/payments/razorpay/webhook")
SANDBOX_POSTMARK_WEBHOOK_URL = env.str("SANDBOX_POSTMARK_WEBHOOK_URL", default="/anymail/postmark/tracking/")
SANDBOX_CALLBACK_DELAY = env.float("SANDBOX_CALLBACK_DELAY", default=0.5)
SANDBOX_FAULTS = env.str("SANDBOX_FAULTS", default="")

# --- Notifications (the outbox) --------------------------------------------------------
NOTIFICATION_CHANNELS = {
    "sms": "notifications.channels.twilio.SmsChannel",
    "whatsapp": "notifications.channels.twilio.WhatsAppChannel",
    "email": "notifications.channels.email.EmailChannel",
}
# Transient failures are retried with exponential backoff and jitter, from the base
# delay up to the cap, until the attempts run out; permanent ones fail at once.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
# A row claimed longer ago than this lost its worker (killed mid-send) and is retried.
NOTIFICATIONS_STALE_SENDING_SECONDS = env.int("NOTIFICATIONS_STALE_SENDING_SECONDS", default=120)
# A row queued this long without being claimed lost its task (broker down, process died).
NOTIFICATIONS_ENQUEUE_GRACE_SECONDS = env.int("NOTIFICATIONS_ENQUEUE_GRACE_SECONDS", default=60)
# The staff dashboard's targets for the last 24 hours.
NOTIFICATIONS_DELIVERY_TARGET = env.float("NOTIFICATIONS_DELIVERY_TARGET", default=0.99)
NOTIFICATIONS_ERROR_TARGET = env.float("NOTIFICATIONS_ERROR_TARGET", default=0.01)
NOTIFICATIONS_REMINDER_HOURS = env.list("NOTIFICATIONS_REMINDER_HOURS", cast=int, default=[24, 2])
# A worker sends the rows of one task (one booking change's, or a sweep's batch of this
# many) at once, on this many threads per worker process: I/O concurrency for providers
# that take seconds to answer. The threads only call providers; rows are claimed and
# recorded by the worker itself.
NOTIFICATIONS_SEND_THREADS = env.int("NOTIFICATIONS_SEND_THREADS", default=8)
# The benchmark's blocking baseline (messages sent inside the request) exists only in
# bench/settings.py; these settings refuse to start with its switch on.
_BENCH_ONLY = "BENCH_BLOCKING_NOTIFICATIONS"
if env.bool(_BENCH_ONLY, default=False) and env.str("DJANGO_SETTINGS_MODULE", "") != "bench.settings":
    raise ImproperlyConfigured(f"{_BENCH_ONLY} is the benchmark's baseline: only bench.settings takes it.")
# Approved WhatsApp templates (Twilio Content SIDs) per event, as JSON. Their variables:
# 1 customer name, 2 service, 3 time, 4 booking reference, 5 link to the booking.
WHATSAPP_TEMPLATES = env.json(
    "WHATSAPP_TEMPLATES",
    default={
        event: "HX" + f"{n:032x}"  # the sandbox accepts any Content SID
        for n, event in enumerate(
            [
                "booking_received",
                "payment_received",
                "confirmed",
                "completed",
                "cancelled",
                "refunded",
                "hold_expired",
                "reminder",
            ],
            start=1,
        )
    }
    if DEBUG
    else {},
)

# --- Operations ----------------------------------------------------------------------------
# /readyz answers 503 when the oldest message due has waited longer than this.
READY_MAX_OUTBOX_LAG_SECONDS = env.int("READY_MAX_OUTBOX_LAG_SECONDS", default=300)
# /metrics needs "Authorization: Bearer <METRICS_TOKEN>" when set.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Security (production) ---------------------------------------------------------------
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see deploy/nginx.conf); it
# is also what makes Twilio's signed callback URLs match.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes on the private network
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    # Asking browsers to preload HSTS for the whole domain is the domain owner's call
    # (it binds every subdomain for months): off by default, and not a warning.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL.rstrip("/")])
X_FRAME_OPTIONS = "DENY"

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves them in production from STATIC_ROOT (run `manage.py collectstatic`),
# compressed and with hashed names cached forever; development serves them unhashed from
# the apps' folders (decided here, as the test runner turns settings.DEBUG off).
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG
if not DEBUG:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# --- Content-Security-Policy (django-csp, bookings_project/csp.py) ---------------------
# Our own scripts, styles and images only, plus Razorpay Checkout: its script's origin,
# and the frames and requests it makes to the Razorpay API. In development both are the
# sandbox. CSP_CHECKOUT_ORIGINS replaces the derived list (e.g. to add a Razorpay host).


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CSP_CHECKOUT_ORIGINS = env.list(
    "CSP_CHECKOUT_ORIGINS",
    default=sorted({_origin(RAZORPAY_CHECKOUT_JS), _origin(RAZORPAY_API_BASE)}),
)
CONTENT_SECURITY_POLICY = {
    # The sandbox stands in for other companies' sites (development only), not ours.
    "EXCLUDE_URL_PREFIXES": ["/sandbox/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *CSP_CHECKOUT_ORIGINS],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", *CSP_CHECKOUT_ORIGINS],
        "frame-src": ["'self'", *CSP_CHECKOUT_ORIGINS],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],  # as X_FRAME_OPTIONS = "DENY"
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Pages of libraries that need more, by path prefix: directives replaced there. Swagger
# UI and Redoc (drf-spectacular) start with an inline script and style with inline styles.
CSP_REPLACE_BY_PATH = {
    prefix: {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
    }
    for prefix in ("/api/docs/", "/api/redoc/")
}

# --- Queue (django-q2) ------------------------------------------------------------
# The ORM broker by default; Redis when REDIS_URL is set. Retries are ours (in the
# notification outbox), so django-q2 must never re-run a task by itself:
# max_attempts=1 and retry above timeout.
REDIS_URL = env.str("REDIS_URL", default="")
Q_WORKERS = env.int("Q_WORKERS", default=2)
Q_CLUSTER = {
    "name": "bookings",
    "workers": Q_WORKERS,
    # Tasks taken off the broker ahead of the workers (django-q2's default: workers²). A
    # stopping cluster finishes every one of them first: with 28 workers and providers at
    # 2-3 s that outlasted any stop timeout, and the SIGKILL that ended it cut the sends in
    # flight (84 messages sent twice in one bench run). Now one waiting task per worker.
    "queue_limit": Q_WORKERS,
    "timeout": 60,
    "retry": 90,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "poll": 0.2,
    # No log of successful tasks: the outbox rows are the record of every message, and
    # django-q's pruning of that log locks and reads all its rows after every task.
    # Failures are still kept (the admin's queue health counts them).
    "save_limit": -1,
    "label": "Task queue",
}
if REDIS_URL:
    # A Redis that stops answering must not hold a request for the kernel's connect
    # timeout (minutes): a booking's enqueue after its commit, and its rate limit, give
    # up within seconds (the sweeper enqueues later; the limit lets it through). The
    # broker's reads wait longer than the cluster's 1 s blocking pop.
    _timeouts = {"socket_connect_timeout": 1, "socket_timeout": 5}
    Q_CLUSTER["redis"] = REDIS_URL + ("&" if "?" in REDIS_URL else "?") + urlencode(_timeouts)
    # One cache for every process (throttling counts), instead of one per process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    Q_CLUSTER["orm"] = "default"

# --- REST API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bookings.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The API speaks JSON only; errors are {"code", "detail", "fields"} (bookings/api/errors.py).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["bookings.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "bookings.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "bookings.api.pagination.PageNumberPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=20),
    # Throttles use Django's cache (per process with the default LocMemCache).
    "DEFAULT_THROTTLE_RATES": {
        "booking_create": env.str("BOOKING_CREATE_RATE", default="30/min"),
        "auth_token": env.str("TOKEN_RATE", default="10/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{BUSINESS_NAME} booking API",
    "DESCRIPTION": (
        "Book time slots from the mobile apps. Money is in minor units (paise), times are ISO 8601 with "
        "their UTC offset, shown in the business time zone. Errors are JSON "
        '`{"code": ..., "detail": ..., "fields": {...}}` with a stable `code`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    # Docs served from our static files, not a CDN: they work offline and under a strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# JSON lines in production (LOG_FORMAT=json), readable lines in development. Every
# line carries the request id; secret links are redacted; our code logs ids, never
# phone numbers or emails.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "bookings_project.request_id.RequestIdFilter"},
        "redact": {"()": "bookings_project.request_id.RedactSecretsFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "redact"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # The Twilio SDK logs every request's headers at INFO.
    "loggers": {"twilio.http_client": {"level": "WARNING"}},
}
