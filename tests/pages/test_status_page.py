"""The booking's status page at its secret link, and cancelling from it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from bookings.selectors import status_url
from bookings.services import booking_cancel, booking_create
from payments.models import Payment
from tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(service, tomorrow, customer):
    return booking_create(service=service, start=local(tomorrow, 10), **customer)


def link(booking, name="bookings:status", token=None):
    return reverse(name, kwargs={"reference": booking.reference, "token": token or booking.access_token})


def test_the_link_in_the_messages_is_the_status_page(booking, settings):
    settings.SITE_URL = "https://book.example.com"
    assert status_url(booking) == "https://book.example.com" + link(booking)


def test_it_shows_the_status_and_the_time_in_the_business_time_zone(client, booking, tomorrow):
    response = client.get(link(booking))

    html = response.content.decode()
    assert response.status_code == 200
    assert booking.reference in html and "Pending" in html
    assert f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y}, 10:00 to 11:00" in html  # 04:30 UTC
    assert "(IST)" in html
    assert "+91 98765 43210" in html
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]
    assert response.headers["Referrer-Policy"] == "same-origin"  # the link's token goes to no other site
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("token", ["wrong-token", "x"])
def test_a_wrong_token_is_not_found(client, booking, token):
    response = client.get(link(booking, token=token))

    assert response.status_code == 404
    assert booking.customer_name not in response.content.decode()


def test_an_unknown_reference_is_not_found(client, booking):
    response = client.get(reverse("bookings:status", kwargs={"reference": "BK-NOSUCH", "token": booking.access_token}))

    assert response.status_code == 404


def test_the_customer_cancels_with_a_post_and_is_told(client, booking):
    page = client.get(link(booking)).content.decode()
    assert f'action="{link(booking, "bookings:cancel")}"' in page
    assert "csrfmiddlewaretoken" in page

    response = client.post(link(booking, "bookings:cancel"), follow=True)

    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.events.last().source == "customer"
    html = response.content.decode()
    assert "Your booking is cancelled." in html
    assert "Cancel this booking" not in html


def test_cancelling_needs_the_csrf_token(booking):
    response = Client(enforce_csrf_checks=True).post(link(booking, "bookings:cancel"))

    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_cancelling_needs_the_token(client, booking):
    response = client.post(link(booking, "bookings:cancel", token="wrong"))

    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_too_late_to_cancel_online_shows_no_button_and_refuses(client, booking, settings):
    settings.BOOKING_CANCEL_WINDOW_HOURS = 72

    html = client.get(link(booking)).content.decode()
    assert "Cancel this booking" not in html
    assert "too late to cancel online" in html

    response = client.post(link(booking, "bookings:cancel"), follow=True)
    assert "It is too late to cancel this booking online; please call us." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_cancelling_twice_says_it_is_already_cancelled(client, booking):
    booking_cancel(booking, by_staff=True)

    response = client.post(link(booking, "bookings:cancel"), follow=True)

    assert "This booking is cancelled: it cannot be cancelled." in response.content.decode()


def test_a_paid_booking_shows_its_payment_and_that_cancelling_refunds_it(client, make_service, tomorrow, customer):
    service = make_service("turf", requires_payment=True, price=120000)
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer, pay_online=True)
    Payment.objects.create(booking=booking, order_id="order_1", amount=120000, currency="INR", status="captured")

    html = client.get(link(booking)).content.decode()

    assert "Paid (₹1,200)" in html
    assert "Your payment is refunded in full, automatically." in html


def test_a_booking_awaiting_payment_links_to_the_payment_page(client, make_service, tomorrow, customer):
    service = make_service("turf", requires_payment=True)
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer, pay_online=True)

    html = client.get(link(booking)).content.decode()

    assert "Awaiting payment" in html
    assert f'href="{link(booking, "payments:checkout")}"' in html

    booking.hold_expires_at -= timedelta(hours=1)
    booking.save()
    assert link(booking, "payments:checkout") not in client.get(link(booking)).content.decode()
