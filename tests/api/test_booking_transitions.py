"""Cancel, confirm and complete through the API: the state machine's answers as 200 or 409."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, Slot
from tests.api.conftest import BOOKINGS, assert_error, booking_row


def url(booking: dict, action: str) -> str:
    return f"{BOOKINGS}{booking['id']}/{action}"


def test_cancelling_gives_the_place_back(book, as_asha, service):
    booking = book(as_asha)
    assert Slot.objects.get(service=service).taken == 1
    response = as_asha.post(url(booking, "cancel"))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Slot.objects.get(service=service).taken == 0
    assert booking_row(booking).status == "cancelled"


def test_customers_cannot_cancel_once_the_window_has_closed_but_staff_can(book, as_asha, as_staff, settings):
    booking = book(as_asha)
    settings.BOOKING_CANCEL_WINDOW_HOURS = 72
    assert_error(as_asha.post(url(booking, "cancel")), 409, "cancellation_closed")
    assert booking_row(booking).status == "pending"
    assert as_staff.post(url(booking, "cancel")).json()["status"] == "cancelled"


def test_cancelling_twice_is_409_invalid_transition(book, as_asha):
    booking = book(as_asha)
    as_asha.post(url(booking, "cancel"))
    error = assert_error(as_asha.post(url(booking, "cancel")), 409, "invalid_transition")
    assert "cancelled" in error["detail"]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("confirmed", "confirm"),
        ("cancelled", "confirm"),
        ("awaiting_payment", "confirm"),  # paid bookings are confirmed by their payment
        ("expired", "confirm"),
        ("pending", "complete"),
        ("completed", "complete"),
        ("completed", "cancel"),
        ("expired", "cancel"),
    ],
)
def test_moves_the_state_machine_forbids_are_409_and_change_nothing(book, as_staff, status, action):
    booking = book()
    Booking.objects.filter(pk=booking["id"]).update(status=status)
    method = as_staff.post if action == "cancel" else as_staff.put
    assert_error(method(url(booking, action)), 409, "invalid_transition")
    assert booking_row(booking).status == status
    assert booking_row(booking).events.count() == 1


@pytest.mark.parametrize(
    ("status", "action"), [("pending", "confirm"), ("confirmed", "complete"), ("pending", "cancel")]
)
def test_a_staff_move_reads_the_booking_once_under_its_lock(book, as_staff, status, action):
    """The rules are checked on the booking as it is moved, and it is not read a second time."""
    booking = book()
    Booking.objects.filter(pk=booking["id"]).update(status=status)
    method = as_staff.post if action == "cancel" else as_staff.put
    with CaptureQueriesContext(connection) as captured:
        assert method(url(booking, action)).status_code == 200
    reads = [query["sql"] for query in captured if query["sql"].startswith('SELECT "bookings_booking"')]
    assert len(reads) == 1
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]


def test_the_actions_have_no_trailing_slash_like_the_seed(book, as_staff):
    booking = book()
    assert_error(as_staff.put(url(booking, "confirm/")), 404, "not_found")
    assert_error(as_staff.get(url(booking, "confirm")), 405, "method_not_allowed")
    assert_error(as_staff.put(url(booking, "cancel")), 405, "method_not_allowed")
