"""Settings for the test suite: the real settings with test secrets filled in."""

import os

# The development configuration (sandbox mounted, sandbox keys); Django's test runner
# still runs the code with DEBUG off. Tests of production settings start a subprocess.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "*")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# TEST_DB_SUFFIX keeps test databases of runs side by side on one machine apart.
_suffix = os.environ.get("TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory, so that threads in tests lock as processes do.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db{_suffix}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}{_suffix}"}  # noqa: F405
# Runs sharing one Redis keep their queues apart too (the list key carries the name).
Q_CLUSTER["name"] = f"bookings-test{_suffix}"  # noqa: F405
