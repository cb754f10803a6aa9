"""POST /api/bookings/razorpay-booking: the booking, its order, and clear errors when Razorpay fails."""

import pytest
from rest_framework.test import APIClient

from bookings.models import Booking, Slot
from bookings.selectors import free_slots
from notifications.models import Notification
from tests.conftest import local
from tests.payments.conftest import RAZORPAY_BOOKING, assert_error

pytestmark = pytest.mark.django_db(transaction=True)


def book(body, **headers):
    return APIClient(headers=headers).post(RAZORPAY_BOOKING, body, format="json")


def nothing_booked(service, tomorrow):
    assert Booking.objects.count() == 0 and Notification.objects.count() == 0
    assert Slot.objects.filter(taken__gt=0).count() == 0
    assert local(tomorrow, 10) in [slot.start for slot in free_slots(service, tomorrow)]


def test_when_razorpay_fails_the_order_nothing_is_booked_and_the_client_gets_502(razorpay, body, service, tomorrow):
    razorpay.set_faults(razorpay={"failure_rate": 1, "failure_statuses": [500]})

    response = book(body(), **{"Idempotency-Key": "retry-me"})

    assert_error(response, 502, "payment_provider_unavailable")
    nothing_booked(service, tomorrow)
    razorpay.set_faults(razorpay={})
    retried = book(body(), **{"Idempotency-Key": "retry-me"})  # a failed request stored nothing under its key
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried


@pytest.mark.parametrize(
    "api_base",
    [
        pytest.param("http://127.0.0.1:9", id="connection-refused"),
        pytest.param("{live}/no-such-api", id="html-not-json"),  # Django's HTML 404 page: not JSON
    ],
)
def test_provider_errors_become_a_clear_502(razorpay, body, service, tomorrow, settings, live_server, api_base):
    settings.RAZORPAY_API_BASE = api_base.format(live=live_server.url)

    response = book(body())

    error = assert_error(response, 502, "payment_provider_unavailable")
    assert "Connection" not in error["detail"]  # the SDK's print()s and exceptions stay on the server
    nothing_booked(service, tomorrow)


def test_a_timeout_is_a_502_too(razorpay, body, service, tomorrow, settings):
    settings.RAZORPAY_TIMEOUT = 0.3
    razorpay.set_faults(razorpay={"timeout_rate": 1, "timeout_seconds": 1})

    assert_error(book(body()), 502, "payment_provider_unavailable")
    nothing_booked(service, tomorrow)


def test_the_order_asks_razorpay_to_capture_the_payment_at_once(razorpay, body):
    """What lets verify-payment confirm on Checkout's signature alone: the payment is captured
    when it is made, whatever the Razorpay account's capture settings."""
    order_id = book(body()).json()["razorpay"]["order_id"]

    assert razorpay.payments(order_id=order_id)["orders"][0]["payment_capture"] is True


def test_the_same_idempotency_key_gives_the_same_booking_and_order(razorpay, body):
    first = book(body(), **{"Idempotency-Key": "k-1"})
    again = book(body(), **{"Idempotency-Key": "k-1"})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert len(razorpay.payments()["orders"]) == 1


def test_booking_errors_are_the_api_errors(razorpay, body):
    assert_error(book(body(service="no-such-service")), 400, "invalid", {"service": "no service"})
    assert_error(book(body(customer={"name": "Asha", "phone": "12"})), 400, "invalid", {"customer.phone": ""})
    assert book(body()).status_code == 201
    assert_error(book(body()), 409, "slot_unavailable")
    assert len(razorpay.payments()["orders"]) == 1  # no order for a booking that was refused
