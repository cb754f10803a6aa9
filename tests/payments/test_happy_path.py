"""The whole flow: order, Checkout, signature, verify-payment, webhooks; confirmed once, told once."""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from bookings.models import Booking
from payments.models import Payment, WebhookEvent
from tests.payments.conftest import RAZORPAY_BOOKING, events, eventually, messages, pay, verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_paid_booking_is_confirmed_once_and_the_customer_told_once(razorpay, body):
    created = APIClient().post(RAZORPAY_BOOKING, body(), format="json")

    assert created.status_code == 201, created.json()
    booking, order = created.json()["booking"], created.json()["razorpay"]
    assert booking["status"] == "awaiting_payment" and booking["hold_expires_at"] and booking["access_token"]
    assert order["key_id"] == settings.RAZORPAY_KEY_ID
    assert (order["amount"], order["currency"]) == (50000, "INR")  # the service's price, computed by the server
    assert settings.RAZORPAY_KEY_SECRET.encode() not in created.content
    [made] = razorpay.payments(order_id=order["order_id"])["orders"]
    assert made["receipt"] == booking["reference"] and made["notes"]["booking_id"] == str(booking["id"])

    result = pay(razorpay, order["order_id"])  # Checkout; the sandbox then sends payment.captured and order.paid
    verified = verify(result)

    assert verified.status_code == 200, verified.json()
    assert verified.json()["id"] == booking["id"] and verified.json()["status"] == "confirmed"
    eventually(lambda: WebhookEvent.objects.filter(processed_at__isnull=False).count() == 2, timeout=10)
    assert sorted(WebhookEvent.objects.values_list("event_type", "signature_valid")) == [
        ("order.paid", True),
        ("payment.captured", True),
    ]
    payment = Payment.objects.get(order_id=order["order_id"])
    assert (payment.status, payment.payment_id, payment.amount) == ("captured", result["razorpay_payment_id"], 50000)
    row = Booking.objects.get(pk=booking["id"])
    assert events(row) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]
    assert messages(row) == [
        ("confirmed", "email"),
        ("confirmed", "sms"),
        ("payment_received", "email"),
        ("payment_received", "sms"),
    ]
    [captured] = razorpay.payments(order_id=order["order_id"])["payments"]
    assert captured["status"] == "captured" and not razorpay.payments(order_id=order["order_id"])["refunds"]
