"""A customer books a service paid online: the booking form hands over to the payment page,
Razorpay Checkout (the sandbox's stand-in, in its overlaid frame) takes the money, and the
customer lands on the booking's status page; the worker sends the messages."""

import re
from collections import Counter
from datetime import time

import pytest

from bookings.models import Booking
from tests.processes import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKOUT_FRAME = "iframe[title='Razorpay checkout (sandbox)']"


def book_paid_service(page, site, tomorrow, *, email: str = "") -> None:
    page.goto(f"{site}/services/turf/?date={tomorrow:%Y-%m-%d}")
    page.locator("a.slot", has_text="18:00").click()
    page.get_by_label("Your name").fill("Asha Rao")
    page.get_by_label("Mobile number").fill("+91 98765 43210")
    if email:
        page.get_by_label("Email (optional)").fill(email)
        page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/pay/BK-\w+/[\w-]+/$"))


def test_paying_in_checkout_confirms_the_booking_and_sends_the_messages(
    page, site, qcluster, inbox, make_service, tomorrow
):
    make_service("turf", name="5-a-side turf", price=120000, requires_payment=True, hours=[(time(18), time(23))])

    book_paid_service(page, site, tomorrow, email="asha@example.com")
    booking = Booking.objects.get()
    assert booking.status == "awaiting_payment"
    page.get_by_role("button", name="Pay ₹1,200 now").click()
    checkout = page.frame_locator(CHECKOUT_FRAME)
    checkout.get_by_text("₹1,200.00").wait_for()
    checkout.get_by_role("button", name="Pay", exact=True).click()

    page.wait_for_url(f"**/b/{booking.reference}/{booking.access_token}/")
    assert page.locator(".status-label").inner_text() == "Confirmed"
    assert "Paid (₹1,200)" in page.locator(".details").inner_text()
    assert "Thank you: your payment is in." in page.locator(".messages").inner_text()

    sent = wait_for(
        lambda: len(found := inbox(to="98765")) >= 4 and found, timeout=30, message="the SMS and WhatsApp messages"
    )
    emails = wait_for(lambda: inbox(to="asha@example.com"), timeout=30, message="the emails")
    assert Counter(m["channel"] for m in sent) == {"sms": 2, "whatsapp": 2}  # payment received, confirmed
    assert any(booking.reference in m["subject"] for m in emails)
    sms = [m["body"] for m in sent if m["channel"] == "sms"]
    assert all(f"/b/{booking.reference}/{booking.access_token}/" in body for body in sms)
    assert page.errors == []


def test_a_failed_payment_can_be_tried_again(page, site, make_service, tomorrow):
    make_service("turf", name="5-a-side turf", price=120000, requires_payment=True, hours=[(time(18), time(23))])

    book_paid_service(page, site, tomorrow)
    booking = Booking.objects.get()
    page.get_by_role("button", name="Pay ₹1,200 now").click()
    checkout = page.frame_locator(CHECKOUT_FRAME)
    checkout.get_by_role("button", name="Fail").click()
    page.get_by_text("The payment failed").wait_for()
    # Razorpay tells us by webhook (payment.failed); the sandbox sends it a moment later.
    wait_for(lambda: booking.payments.get().status == "failed", timeout=10, message="the payment.failed webhook")
    booking.refresh_from_db()
    assert booking.status == "awaiting_payment"

    checkout.get_by_role("button", name="Close").click()  # and try again from our page
    page.get_by_role("button", name="Pay ₹1,200 now").click()
    page.frame_locator(CHECKOUT_FRAME).get_by_role("button", name="Pay", exact=True).click()

    page.wait_for_url(f"**/b/{booking.reference}/{booking.access_token}/")
    assert page.locator(".status-label").inner_text() == "Confirmed"
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.payments.get().status == "captured"
