"""Configuration comes from the environment; production never starts on a default secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "SECRET_KEY": "s" * 50,
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "token",
    "RAZORPAY_KEY_ID": "rzp_live_x",
    "RAZORPAY_KEY_SECRET": "secret",
    "RAZORPAY_WEBHOOK_SECRET": "whsecret",
    "POSTMARK_SERVER_TOKEN": "pm",
    "ANYMAIL_WEBHOOK_SECRET": "user:pass",
}


def start_django(**env) -> subprocess.CompletedProcess:
    """Load the real settings in a fresh process, as `manage.py` would."""
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and k not in {"DEBUG", "SANDBOX_ENABLED"}}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "bookings_project.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_needs_no_configuration():
    result = start_django(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_starts_with_every_secret_given():
    result = start_django(DEBUG="false", **SECRETS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_production_refuses_to_start_without_a_secret(missing):
    given = {k: v for k, v in SECRETS.items() if k != missing}
    result = start_django(DEBUG="false", **given)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment when DEBUG is off." in result.stderr


def test_the_migrations_check_needs_no_configuration():
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_production_refuses_the_sandbox():
    result = start_django(DEBUG="false", SANDBOX_ENABLED="true", **SECRETS)
    assert result.returncode != 0
    assert "the sandbox is never mounted in production" in result.stderr
