"""The state machine: every legal move works and is audited, every illegal one changes nothing."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from bookings.errors import CancellationClosed, InvalidTransition
from bookings.models import Booking, BookingEvent, Slot
from bookings.services import booking_cancel, booking_create, transition
from bookings.signals import booking_status_changed
from bookings.states import ALLOWED
from tests.conftest import local

S = Booking.Status

LEGAL = sorted((src, dst) for src, targets in ALLOWED.items() for dst in targets)
ILLEGAL = sorted((src, dst) for src, dst in itertools.product(S.values, S.values) if dst not in ALLOWED[src])


@pytest.fixture
def booking_in(make_service, tomorrow, customer):
    """A booking put straight into `status`, its place held or not as that status implies."""
    service = make_service(requires_payment=True, capacity=2)

    def make(status):
        booking = booking_create(service=service, start=local(tomorrow, 10), pay_online=True, **customer)
        Booking.objects.filter(pk=booking.pk).update(status=status)
        if status in (S.CANCELLED, S.EXPIRED):
            Slot.objects.filter(service=service).update(taken=0)
        booking.refresh_from_db()
        return booking

    return make


def test_the_state_machine_is_the_one_in_the_design():
    assert LEGAL == sorted(
        [
            (S.AWAITING_PAYMENT, S.CONFIRMED),
            (S.AWAITING_PAYMENT, S.PENDING),
            (S.AWAITING_PAYMENT, S.EXPIRED),
            (S.AWAITING_PAYMENT, S.CANCELLED),
            (S.PENDING, S.CONFIRMED),
            (S.PENDING, S.CANCELLED),
            (S.CONFIRMED, S.COMPLETED),
            (S.CONFIRMED, S.CANCELLED),
            (S.EXPIRED, S.CONFIRMED),
            (S.EXPIRED, S.PENDING),
        ]
    )


@pytest.mark.parametrize(("src", "dst"), LEGAL)
def test_a_legal_move_changes_status_writes_an_event_and_signals(booking_in, src, dst):
    booking = booking_in(src)
    staff = get_user_model().objects.create_user("desk", is_staff=True)
    heard = []

    def listener(**kwargs):
        heard.append((kwargs["from_status"], kwargs["to_status"], kwargs["event"].pk))

    booking_status_changed.connect(listener)
    try:
        saved = transition(booking, dst, actor=staff, note="by the desk")
    finally:
        booking_status_changed.disconnect(listener)

    assert saved.status == booking.status == dst
    assert Booking.objects.get(pk=booking.pk).status == dst
    event = booking.events.latest("id")
    assert (event.from_status, event.to_status, event.actor, event.note) == (src, dst, staff, "by the desk")
    assert heard == [(src, dst, event.pk)]


@pytest.mark.parametrize(("src", "dst"), ILLEGAL)
def test_an_illegal_move_raises_and_changes_nothing(booking_in, src, dst):
    booking = booking_in(src)
    events = BookingEvent.objects.count()
    taken = Slot.objects.get().taken
    with pytest.raises(InvalidTransition) as raised:
        transition(booking, dst)
    assert raised.value.code == "invalid_transition"
    assert Booking.objects.get(pk=booking.pk).status == src
    assert BookingEvent.objects.count() == events
    assert Slot.objects.get().taken == taken


def test_a_new_booking_records_where_it_came_from(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
    assert booking.status == S.PENDING
    assert list(booking.events.values_list("from_status", "to_status", "source")) == [("", S.PENDING, "customer")]


def test_the_event_is_rolled_back_with_a_failed_signal_receiver(service, tomorrow, customer):
    """Receivers run inside the transaction: if one fails, the change is undone."""
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)

    def broken(**kwargs):
        raise RuntimeError("receiver failed")

    booking_status_changed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            transition(booking, S.CONFIRMED)
    finally:
        booking_status_changed.disconnect(broken)
    assert Booking.objects.get(pk=booking.pk).status == S.PENDING
    assert booking.events.count() == 1


class TestCancellationPolicy:
    def test_customers_cancel_until_the_window_closes(self, service, tomorrow, customer, settings):
        settings.BOOKING_CANCEL_WINDOW_HOURS = 2
        booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
        booking_cancel(booking, by_staff=False)
        assert booking.status == S.CANCELLED
        assert booking.events.latest("id").source == "customer"

    def test_inside_the_window_only_staff_may_cancel(self, service, tomorrow, customer, settings):
        booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
        settings.BOOKING_CANCEL_WINDOW_HOURS = 48
        with pytest.raises(CancellationClosed):
            booking_cancel(booking, by_staff=False)
        assert Booking.objects.get(pk=booking.pk).status == S.PENDING
        booking_cancel(booking, by_staff=True)
        assert booking.status == S.CANCELLED

    def test_a_finished_booking_cannot_be_cancelled_by_anyone(self, booking_in):
        booking = booking_in(S.COMPLETED)
        for by_staff in (False, True):
            with pytest.raises(InvalidTransition):
                booking_cancel(booking, by_staff=by_staff)
