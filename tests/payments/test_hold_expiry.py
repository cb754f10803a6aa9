"""An unpaid booking's hold lapses: the periodic task expires it and its place is bookable again."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django_q.models import Schedule

from bookings.models import Booking
from bookings.selectors import free_slots
from payments import tasks
from payments.services import open_payment
from tests.conftest import local
from tests.payments.conftest import messages

pytestmark = pytest.mark.django_db(transaction=True)


def lapse(booking: Booking) -> None:
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    booking.refresh_from_db()


def test_a_lapsed_hold_expires_and_frees_the_place(razorpay, start_checkout, service, tomorrow):
    booking, _ = start_checkout()
    start = local(tomorrow, 10)
    assert start not in [slot.start for slot in free_slots(service, tomorrow)]
    assert tasks.expire_holds() == 0  # still held

    lapse(booking)
    assert open_payment(booking) is None  # Checkout is not offered any more
    assert tasks.expire_holds() == 1

    booking.refresh_from_db()
    assert booking.status == "expired"
    assert messages(booking) == [("hold_expired", "sms")]
    assert start in [slot.start for slot in free_slots(service, tomorrow)]
    other, _ = start_checkout(name="Ravi Kumar", phone="+91 91234 56789", email="")
    assert other.status == "awaiting_payment"
    assert tasks.expire_holds() == 0


def test_the_hold_lasts_booking_hold_minutes(razorpay, start_checkout, settings):
    settings.BOOKING_HOLD_MINUTES = 7
    booking, _ = start_checkout()
    left = booking.hold_expires_at - timezone.now()
    assert timedelta(minutes=6) < left <= timedelta(minutes=7)


def test_the_periodic_tasks_are_scheduled_once_by_name(db):
    """The data migration creates the schedules; run again (a re-applied migration), it adds none."""
    create = import_module("payments.migrations.0002_schedules").Migration.operations[0].code
    create(django_apps, None)
    create(django_apps, None)

    scheduled = Schedule.objects.filter(name__startswith="payments:").values_list("func", "minutes", "repeats")
    assert sorted(scheduled) == [
        ("payments.tasks.expire_holds", 1, -1),
        ("payments.tasks.reconcile_payments", 5, -1),
        ("payments.tasks.sweep_refunds", 1, -1),
    ]
