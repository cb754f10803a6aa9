"""A customer books a pay-at-the-venue service on the website, from the list of services
to the booking's status page, in a real browser."""

import re

import pytest
from django.utils import timezone

from bookings.models import Booking
from bookings.selectors import business_tz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_books_a_class_and_lands_on_its_status_page(page, site, make_service, tomorrow):
    make_service("yoga", name="Morning yoga", capacity=12, price=30000, requires_payment=False)

    page.goto(site + "/")
    card = page.locator(".card", has_text="Morning yoga")
    assert "₹300" in card.inner_text() and "1 hour" in card.inner_text()
    card.get_by_role("link", name="Choose a time").click()

    page.locator(f'a.day[data-date="{tomorrow:%Y-%m-%d}"]').click()
    expect_text(page, "#slots h2", f"Free times on {tomorrow:%A} {tomorrow.day} {tomorrow:%B}")
    ten = page.locator("a.slot", has_text="10:00")
    assert "12 places left" in ten.inner_text()
    ten.click()

    assert re.search(rf"{tomorrow.day} {tomorrow:%B %Y}, 10:00 to 11:00", page.locator(".when").inner_text())
    page.get_by_label("Your name").fill("Asha Rao")
    page.get_by_label("Mobile number").fill("98765 43210")
    page.get_by_label("Email (optional)").fill("asha@example.com")
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Book").click()

    page.wait_for_url(re.compile(r"/b/BK-\w+/[\w-]+/$"))
    booking = Booking.objects.get()
    assert page.url.endswith(f"/b/{booking.reference}/{booking.access_token}/")
    assert page.locator(".status-label").inner_text() == "Pending"
    details = page.locator(".details").inner_text()
    assert "Morning yoga" in details and "10:00 to 11:00" in details and "pay at the venue" in details
    assert (booking.status, booking.phone.as_e164) == ("pending", "+919876543210")
    assert booking.channels == ["sms", "whatsapp", "email"]
    assert timezone.localtime(booking.start, business_tz()).hour == 10
    assert page.errors == []  # no script error, no resource refused by the CSP


def expect_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => (document.querySelector(selector) || {}).textContent?.includes(text)",
        arg=[selector, text],
    )
