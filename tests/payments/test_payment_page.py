"""The payment page /pay/<reference>/<token>/: Checkout while the hold lasts, verify, then the status page."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from bookings.models import Booking
from tests.payments.conftest import pay

pytestmark = pytest.mark.django_db(transaction=True)


def page_url(booking: Booking, token: str | None = None) -> str:
    return f"/pay/{booking.reference}/{token or booking.access_token}/"


def status_url(booking: Booking) -> str:
    return f"/b/{booking.reference}/{booking.access_token}/"


def test_the_page_shows_the_booking_the_amount_the_time_left_and_pay_now(razorpay, start_checkout):
    booking, payment = start_checkout()

    response = Client().get(page_url(booking))

    assert response.status_code == 200
    html = response.content.decode()
    assert booking.reference in html and "₹500" in html and 'id="pay-button"' in html
    assert re.search(r"about 1[45] minutes left", html)
    assert f'<script src="{settings.RAZORPAY_CHECKOUT_JS}"></script>' in html
    assert "/static/js/checkout.js" in html
    options = json.loads(re.search(r'<script id="checkout-options" type="application/json">(.*?)</script>', html)[1])
    assert options == {
        "key": settings.RAZORPAY_KEY_ID,
        "order_id": payment.order_id,
        "amount": 50000,
        "currency": "INR",
        "name": settings.BUSINESS_NAME,
        "description": booking.service.name,
        "prefill": {"name": "Asha Rao", "email": "asha@example.com", "contact": "+919876543210"},
    }
    assert settings.RAZORPAY_KEY_SECRET not in html
    assert "<script>" not in html  # no inline script: the pages' Content-Security-Policy forbids it


def test_a_wrong_token_or_reference_is_not_found(razorpay, start_checkout):
    booking, _ = start_checkout()
    assert Client().get(page_url(booking, token="x" * 32)).status_code == 404
    assert Client().get(f"/pay/BK-NOPE00/{booking.access_token}/").status_code == 404
    assert Client().post(page_url(booking, token="x" * 32) + "verify").status_code == 404


def test_checkouts_answer_is_verified_and_the_customer_sent_to_the_status_page(razorpay, start_checkout):
    booking, payment = start_checkout()
    browser = Client(enforce_csrf_checks=True)
    browser.get(page_url(booking))  # sets the CSRF cookie, as the page's form carries its token
    result = pay(razorpay, payment.order_id)

    response = browser.post(
        page_url(booking) + "verify", {**result, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    )

    assert response.status_code == 302 and response["Location"] == status_url(booking)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert browser.get(page_url(booking))["Location"] == status_url(booking)  # paid: nothing more to pay here


def test_a_tampered_answer_shows_the_page_again_with_an_error(razorpay, start_checkout):
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")

    response = Client().post(page_url(booking) + "verify", {**result, "razorpay_signature": "0" * 64})

    assert response.status_code == 400
    assert "signature does not match" in response.content.decode() and 'id="pay-button"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "awaiting_payment"
    _, other_payment = start_checkout(hour=11, name="Ravi Kumar", phone="+91 91234 56789", email="")
    # Another booking's order through this booking's page: refused.
    answer = {**result, "razorpay_order_id": other_payment.order_id}
    assert Client().post(page_url(booking) + "verify", answer).status_code == 400


def test_after_the_hold_lapsed_the_page_says_so(razorpay, start_checkout):
    booking, _ = start_checkout()
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    html = Client().get(page_url(booking)).content.decode()

    assert "has run out" in html and 'id="pay-button"' not in html and "checkout-options" not in html
