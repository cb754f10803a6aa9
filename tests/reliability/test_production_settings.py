"""Production settings: `make prod-check` is clean, the security headers and cookie flags
are on, secrets come only from the environment, and a whole booking (paid, its messages
sent) logs no phone number, email, token or signature."""

import json
import logging
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import deliver
from tests.conftest import local
from tests.payments.conftest import (  # noqa: F401  (fixtures: a paid service, the sandbox's Razorpay)
    RAZORPAY_BOOKING,
    pay,
    razorpay,
    service,
    verify,
)
from tests.processes import ROOT
from tests.sandbox.conftest import sandbox  # noqa: F401
from tests.test_settings import SECRETS

PRODUCTION = {
    **SECRETS,
    "DJANGO_SETTINGS_MODULE": "bookings_project.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "bookings.example.com",
    "SITE_URL": "https://bookings.example.com",
}


def test_make_prod_check_gives_no_warning():
    result = subprocess.run(["make", "prod-check"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS:" not in result.stdout + result.stderr and "(security." not in result.stdout + result.stderr


HEADERS = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import override_settings
client = Client(HTTP_HOST="bookings.example.com")
plain = client.get("/admin/login/")
# The hashed names come from collectstatic, which a deployment runs and this test does not.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"default": plain_static, "staticfiles": plain_static}):
    page = client.get("/admin/login/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location")],
    "headers": dict(page.headers),
    "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
                for name, c in page.cookies.items()},
}))
"""


def test_security_headers_and_cookies_with_production_settings(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and k not in {"REDIS_URL", "DATABASE_URL"}}
    env = {**clean, **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", HEADERS], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == [301, "https://bookings.example.com/admin/login/"]
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert seen["cookies"]["csrftoken"]["secure"] is True


def test_no_secret_has_a_production_default():
    """Every secret is read with secret(): a default only when DEBUG is on (tests/test_settings.py
    starts production without each one and sees it refuse)."""
    source = (ROOT / "bookings_project" / "settings.py").read_text()
    for name in SECRETS:
        assert f'secret("{name}"' in source, name


@pytest.mark.django_db(transaction=True)
def deliver_all(ids: list[int]) -> None:
    try:
        for pk in ids:
            deliver(pk)
    finally:
        connection.close()


def test_a_paid_booking_and_its_messages_log_no_personal_data(live_server, razorpay, service, tomorrow, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    booked = APIClient().post(
        RAZORPAY_BOOKING,
        {
            "service": service.slug,
            "start": local(tomorrow, 10).isoformat(),
            "customer": {"name": "Meera Iyer", "phone": "+91 99887 76655", "email": "meera@example.org"},
            "channels": ["sms", "whatsapp", "email"],
        },
        format="json",
    )
    assert booked.status_code == 201, booked.content
    token = booked.json()["booking"]["access_token"]
    result = pay(razorpay, booked.json()["razorpay"]["order_id"])  # with its webhooks
    assert verify(result).status_code == 200
    # In a thread of its own, as a worker would: the providers' clients (kept per thread,
    # with keep-alive connections to the live server) go when it ends.
    sender = threading.Thread(target=deliver_all, args=(list(Notification.objects.values_list("pk", flat=True)),))
    sender.start()
    sender.join()
    assert Notification.objects.exclude(status__in=["sent", "delivered"]).count() == 0

    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert len(caplog.records) > 5  # the booking, the payment and the messages were logged
    secrets = ["Meera", "99887", "+919988776655", "meera@example.org", token, result["razorpay_signature"]]
    for secret in [*secrets, settings.RAZORPAY_KEY_SECRET, settings.TWILIO_AUTH_TOKEN]:
        assert secret not in logged, secret
