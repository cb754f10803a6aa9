"""Payments against the live server's sandbox: the real razorpay SDK, and Razorpay's
webhooks sent by the sandbox to this site's endpoint on the live server.

Tasks run in-process: the tests call payments.tasks directly (no qcluster)."""

import pytest
import requests
from django.conf import settings
from rest_framework.test import APIClient

from bookings.models import Booking, BookingEvent
from notifications.models import Notification
from payments.models import Payment
from payments.services import checkout_start
from tests.api.conftest import assert_error, body  # noqa: F401  (the API tests' booking body and error shape)
from tests.conftest import local
from tests.sandbox.conftest import Sandbox, eventually, sandbox  # noqa: F401  (the SDKs pointed at the live sandbox)

RAZORPAY_BOOKING = "/api/bookings/razorpay-booking"
VERIFY_PAYMENT = "/api/bookings/verify-payment"


@pytest.fixture
def service(make_service):
    """A service paid online: ₹500, one place per start."""
    return make_service("massage", requires_payment=True, price=50000)


@pytest.fixture
def razorpay(sandbox, settings) -> Sandbox:  # noqa: F811  (the fixture imported above)
    """The live sandbox with no faults, sending Razorpay's webhooks to /payments/razorpay/webhook."""
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = "/payments/razorpay/webhook"
    requests.delete(f"{sandbox.base}/api/faults/", timeout=10).raise_for_status()
    return sandbox


@pytest.fixture
def start_checkout(service, tomorrow, customer):
    """checkout_start for `service` at 10:00 tomorrow (SMS only unless told): (booking, payment)."""

    def start(hour: int = 10, **changes) -> tuple[Booking, Payment]:
        fields = {**customer, "channels": ["sms"], **changes}
        return checkout_start(service=service, start=local(tomorrow, hour), **fields)

    return start


def pay(razorpay: Sandbox, order_id: str, *, webhooks: str = "in_order") -> dict:
    """The customer pays the order in the sandbox's Checkout: what Checkout hands the page's handler.
    `webhooks`: in_order (payment.captured, order.paid), reversed, or none."""
    url = f"{razorpay.base}/razorpay/checkout/{order_id}/pay"
    response = requests.post(url, data={"key": settings.RAZORPAY_KEY_ID, "webhooks": webhooks}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def verify(result: dict, client: APIClient | None = None):
    return (client or APIClient()).post(VERIFY_PAYMENT, result, format="json")


def send_webhooks(razorpay: Sandbox, payment_id: str, events: list[str]) -> list[dict]:
    """Have the sandbox send these webhooks now, in this order (each with a new event id)."""
    response = requests.post(
        f"{razorpay.base}/api/webhooks/", json={"payment_id": payment_id, "events": events}, timeout=30
    )
    assert response.status_code == 200, response.text
    deliveries = response.json()["results"]
    assert all(d["response_status"] == 200 for d in deliveries), deliveries
    return deliveries


def events(booking: Booking) -> list[tuple[str, str]]:
    """The booking's history as (from, to)."""
    return list(BookingEvent.objects.filter(booking=booking).values_list("from_status", "to_status"))


def messages(booking: Booking) -> list[tuple[str, str]]:
    """The notifications written for the booking, as sorted (event, channel)."""
    return sorted(Notification.objects.filter(booking=booking).values_list("event", "channel"))
