"""Capacity is enforced by the database: racing customers never oversell a slot."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from bookings.errors import SlotUnavailable
from bookings.models import Booking, Slot
from bookings.services import booking_create, transition
from tests.conftest import local


def race(service, start, customer, threads=20):
    """`threads` customers book `start` at the same moment; returns (bookings, errors)."""
    barrier = threading.Barrier(threads)
    made, refused, crashed = [], [], []

    def book(n):
        try:
            barrier.wait()
            made.append(booking_create(service=service, start=start, **{**customer, "name": f"Racer {n}"}))
        except SlotUnavailable as error:
            refused.append(error)
        except Exception as error:
            crashed.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=book, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert crashed == []
    return made, refused


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 3])
def test_twenty_racers_for_the_last_places_leave_exactly_capacity_bookings(make_service, tomorrow, customer, capacity):
    service = make_service(capacity=capacity)
    start = local(tomorrow, 10)
    made, refused = race(service, start, customer)
    assert len(made) == capacity
    assert len(refused) == 20 - capacity
    assert all(error.code == "slot_unavailable" for error in refused)
    assert Booking.objects.filter(service=service, start=start).count() == capacity
    assert Slot.objects.get(service=service, start=start).taken == capacity


@pytest.mark.django_db(transaction=True)
def test_racers_for_the_last_place_after_others_booked(make_service, tomorrow, customer):
    service = make_service(capacity=5)
    start = local(tomorrow, 10)
    for _ in range(4):
        booking_create(service=service, start=start, **customer)
    made, _ = race(service, start, customer)
    assert len(made) == 1
    assert Booking.objects.filter(service=service, start=start).count() == 5


def test_a_full_slot_refuses_and_changes_nothing(service, tomorrow, customer):
    start = local(tomorrow, 10)
    booking_create(service=service, start=start, **customer)
    with pytest.raises(SlotUnavailable):
        booking_create(service=service, start=start, **customer)
    assert Booking.objects.count() == 1
    assert Slot.objects.get(service=service, start=start).taken == 1


def test_an_unpaid_hold_counts_until_it_lapses(make_service, tomorrow, customer):
    service = make_service(requires_payment=True)
    start = local(tomorrow, 10)
    held = booking_create(service=service, start=start, pay_online=True, **customer)
    assert held.status == Booking.Status.AWAITING_PAYMENT and held.hold_expires_at > timezone.now()
    with pytest.raises(SlotUnavailable):
        booking_create(service=service, start=start, pay_online=True, **customer)

    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    second = booking_create(service=service, start=start, pay_online=True, **customer)

    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED
    assert held.events.last().note == "Payment hold lapsed"
    assert second.status == Booking.Status.AWAITING_PAYMENT
    assert Slot.objects.get(service=service, start=start).taken == 1


def test_a_lapsed_booking_paid_late_gets_its_place_back_only_if_free(make_service, tomorrow, customer):
    service = make_service(requires_payment=True)
    start = local(tomorrow, 10)
    late = booking_create(service=service, start=start, pay_online=True, **customer)
    transition(late, Booking.Status.EXPIRED, source="system")
    transition(late, Booking.Status.CONFIRMED, source="payment")
    assert Slot.objects.get(service=service, start=start).taken == 1

    transition(late, Booking.Status.CANCELLED)
    other = booking_create(service=service, start=start, pay_online=True, **customer)
    transition(other, Booking.Status.EXPIRED, source="system")
    taker = booking_create(service=service, start=start, pay_online=True, **customer)
    with pytest.raises(SlotUnavailable):
        transition(other, Booking.Status.CONFIRMED, source="payment")
    other.refresh_from_db()
    assert other.status == Booking.Status.EXPIRED
    assert taker.status == Booking.Status.AWAITING_PAYMENT
    assert Slot.objects.get(service=service, start=start).taken == 1


def test_bookings_of_other_starts_and_services_do_not_count(make_service, tomorrow, customer):
    massage, facial = make_service("massage"), make_service("facial")
    booking_create(service=massage, start=local(tomorrow, 10), **customer)
    booking_create(service=massage, start=local(tomorrow, 11), **customer)
    booking_create(service=facial, start=local(tomorrow, 10), **customer)
    assert Booking.objects.count() == 3
