"""The inbox page and its JSON: every message, order, payment and refund, newest first."""

import re
from datetime import UTC, datetime

import pytest
import requests
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from notifications.twilio_client import twilio_client
from payments.razorpay_client import razorpay_client

pytestmark = pytest.mark.django_db(transaction=True)


def sms(to: str, body: str):
    return twilio_client().messages.create(to=to, from_=settings.TWILIO_SMS_FROM, body=body)


def test_the_page_shows_messages_and_payments_with_no_cdn(sandbox):
    sms("+919876543210", "Your slot is at 10:00")
    email = EmailMultiAlternatives("Booking confirmed", "Text part", settings.DEFAULT_FROM_EMAIL, ["asha@example.com"])
    email.attach_alternative("<h1>Confirmed</h1>", "text/html")
    email.send()
    order = razorpay_client().order.create({"amount": 120000, "currency": "INR", "receipt": "BK-TURF01"})
    paid = requests.post(f"{sandbox.base}/razorpay/checkout/{order['id']}/pay", timeout=10).json()
    razorpay_client().payment.refund(paid["razorpay_payment_id"], {"amount": 20000})

    page = requests.get(f"{sandbox.base}/", timeout=10)

    assert page.status_code == 200
    for text in (
        "Your slot is at 10:00",
        "Booking confirmed",
        "&lt;h1&gt;Confirmed&lt;/h1&gt;",  # the HTML part, in a sandboxed iframe's srcdoc
        order["id"],
        paid["razorpay_payment_id"],
        "₹1,200.00",
        "₹200.00",
    ):
        assert text in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing loaded from elsewhere
    assert page.text.index("Booking confirmed") < page.text.index("Your slot is at 10:00")  # newest first


def test_messages_filter_by_recipient_channel_and_time(sandbox):
    sms("+919876543210", "first")
    since = datetime.now(UTC).isoformat()
    sms("+919876543210", "second")
    sms("+918888888888", "other")

    assert [m["body"] for m in sandbox.messages(to="+919876543210")] == ["second", "first"]
    assert [m["body"] for m in sandbox.messages(to="+919876543210", since=since)] == ["second"]
    assert sandbox.messages(channel="email") == []
    assert requests.get(f"{sandbox.base}/api/messages/", params={"since": "soon"}, timeout=10).status_code == 400


def test_the_inbox_can_be_emptied(sandbox):
    sms("+919876543210", "first")

    assert requests.delete(f"{sandbox.base}/api/messages/", timeout=10).json() == {"deleted": 1}
    assert sandbox.messages() == []
