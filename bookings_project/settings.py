"""Settings for the booking platform, read from the environment (django-environ).

Development works with no configuration at all: SQLite, django-q2's ORM broker
and the provider sandbox. With DEBUG off every secret must come from the
environment; a missing one stops the process at start.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)


def secret(name: str, dev_default: str) -> str:
    """A secret from the environment; a development default only when DEBUG is on."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
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
    "django_q",
    "phonenumber_field",
    "bookings",
    "payments",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

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

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="anymail.backends.postmark.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Demo Studio <bookings@example.com>")
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": secret("POSTMARK_SERVER_TOKEN", "sandbox-postmark-server-token"),
    "POSTMARK_API_URL": env.str(
        "POSTMARK_API_URL", default=f"{SANDBOX_URL}/postmark/" if DEBUG else "https://api.postmarkapp.com/"
    ),
    "WEBHOOK_SECRET": secret("ANYMAIL_WEBHOOK_SECRET", "sandbox:anymail-webhook-secret"),
}

# --- Static files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Queue (django-q2) ------------------------------------------------------------
# The ORM broker by default; Redis when REDIS_URL is set. Retries are ours (in the
# notification outbox), so django-q2 must never re-run a task by itself:
# max_attempts=1 and retry above timeout.
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "bookings",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 60,
    "retry": 90,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "poll": 0.2,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- REST API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
