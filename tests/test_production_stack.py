"""The production stack end to end: gunicorn and a qcluster with production settings on
PostgreSQL and Redis, providers played by the standalone sandbox. Book, pay, confirm as
staff, and watch the messages arrive, /readyz and /metrics move."""

import json
import os
import sys
from dataclasses import dataclass

import pytest
import requests
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

from bench.stack import SANDBOX_KEYS  # the keys the sandbox accepts, given to production as real ones
from bookings.models import Booking, Service
from notifications.models import Notification
from tests.conftest import local
from tests.processes import Process, QCluster, database_url_of_this_run, free_port, wait_for

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "")
EVENTS = Notification.Event.values


@dataclass
class Stack:
    site: str
    sandbox: str
    service: Service


@pytest.fixture
def stack(make_service):
    if connection.vendor != "postgresql" or not REDIS_URL:
        pytest.skip("the production stack runs on PostgreSQL with REDIS_URL set (make test's last part)")
    web_port, sandbox_port = free_port(), free_port()
    site, sandbox = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{sandbox_port}/sandbox"
    common = {**os.environ, "DATABASE_URL": database_url_of_this_run(), "SITE_URL": site, "REDIS_URL": REDIS_URL}
    production = {
        **common,
        **SANDBOX_KEYS,
        "DJANGO_SETTINGS_MODULE": "bookings_project.settings",
        "DEBUG": "false",
        "SECRET_KEY": "production-stack-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain http on loopback; the proxy does TLS in production
        "TWILIO_API_BASE": f"{sandbox}/twilio",
        "RAZORPAY_API_BASE": f"{sandbox}/razorpay",
        "POSTMARK_API_URL": f"{sandbox}/postmark/",
        "WHATSAPP_TEMPLATES": json.dumps({event: f"HX{n:032x}" for n, event in enumerate(EVENTS)}),
    }
    sandbox_env = {**common, "DJANGO_SETTINGS_MODULE": "bookings_project.settings_test", "DEBUG": "true"}
    processes = [
        Process(
            [sys.executable, "manage.py", "runsandbox", "--port", str(sandbox_port)],
            sandbox_env,
            name="stack-sandbox",
            ready=b"Provider sandbox at",
        ),
        Process(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                "2",
                "bookings_project.wsgi",
            ],
            production,
            name="stack-gunicorn",
            ready=b"Booting worker",
        ),
        QCluster(production, name="stack-qcluster"),
    ]
    try:
        for process in processes:
            process.start()
        service = make_service("consultation", requires_payment=True, auto_confirm_paid=False, capacity=2)
        yield Stack(site, sandbox, service)
    finally:
        for process in processes:
            process.stop()


def test_book_pay_confirm_and_see_it_all(stack, tomorrow):
    site, service = stack.site, stack.service
    staff = get_user_model().objects.create_user("desk", password="pw", is_staff=True, is_superuser=True)
    staff_token = Token.objects.create(user=staff).key
    assert requests.get(f"{site}/readyz", timeout=10).json()["checks"]["broker"]["broker"].startswith("Redis")

    booked = requests.post(
        f"{site}/api/bookings/razorpay-booking",
        timeout=10,
        json={
            "service": service.slug,
            "start": local(tomorrow, 10).isoformat(),
            "customer": {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com"},
        },
    )
    assert booked.status_code == 201, booked.text
    order_id = booked.json()["razorpay"]["order_id"]

    # The customer pays in the sandbox's Checkout; its handler gets the three values.
    checkout = requests.post(
        f"{stack.sandbox}/razorpay/checkout/{order_id}/pay", data={"key": SANDBOX_KEYS["RAZORPAY_KEY_ID"]}, timeout=10
    )
    assert checkout.status_code == 200, checkout.text
    verified = requests.post(f"{site}/api/bookings/verify-payment", json=checkout.json(), timeout=10)
    assert verified.status_code == 200, verified.text
    booking_id = booked.json()["booking"]["id"]
    assert Booking.objects.get(pk=booking_id).status == Booking.Status.PENDING  # staff confirm paid bookings here

    confirmed = requests.put(
        f"{site}/api/bookings/{booking_id}/confirm", timeout=10, headers={"Authorization": f"Token {staff_token}"}
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"

    # payment received + confirmed, by SMS, WhatsApp and email: sent by the worker,
    # SMS and WhatsApp delivered by Twilio's (the sandbox's) signed status callbacks.
    wait_for(
        lambda: (
            Notification.objects.filter(
                booking_id=booking_id, channel__in=["sms", "whatsapp"], status="delivered"
            ).count()
            == 4
        ),
        timeout=60,
        message="delivery receipts",
    )
    assert not Notification.objects.filter(booking_id=booking_id, status__in=["queued", "failed"]).exists()

    ready = requests.get(f"{site}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["checks"]["outbox"]["due_messages"] == 0
    metrics = requests.get(f"{site}/metrics", timeout=10).text
    assert 'bookings{status="confirmed"} 1.0' in metrics
    assert 'payments{status="captured"} 1.0' in metrics
    assert 'notifications{channel="sms",status="delivered"} 2.0' in metrics
    assert 'http_request_duration_seconds_count{method="PUT",status="200"' in metrics
