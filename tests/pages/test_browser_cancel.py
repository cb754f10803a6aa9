"""A customer opens the link from their messages and cancels the booking there."""

import pytest

from bookings.selectors import status_url
from bookings.services import booking_create
from tests.conftest import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_customer_cancels_from_the_status_page(page, site, service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)

    page.goto(status_url(booking))  # the link in every message (SITE_URL is the live server)
    assert page.locator(".status-label").inner_text() == "Pending"
    page.get_by_text("Cancel this booking").click()  # opens the question, nothing is sent yet
    page.get_by_role("button", name="Yes, cancel it").click()

    page.get_by_text("Your booking is cancelled.").wait_for()
    assert page.url == status_url(booking)  # back on the status page, which a reload keeps
    assert page.locator(".status-label").inner_text() == "Cancelled"
    assert page.get_by_text("Cancel this booking").count() == 0
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert page.errors == []
