"""Reminders: found at send time from current bookings, once each, never for cancelled ones."""

from datetime import timedelta

import pytest

from bookings.models import Booking
from bookings.services import booking_cancel, booking_create, transition
from notifications.models import Notification
from notifications.services import schedule_reminders
from tests.conftest import local


@pytest.fixture
def booked(service, tomorrow, customer):
    """A confirmed booking for tomorrow 10:00, made three days ago."""
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["sms", "email"], **customer)
    transition(booking, Booking.Status.CONFIRMED)
    Booking.objects.filter(pk=booking.pk).update(created_at=booking.start - timedelta(days=3))
    return booking


def reminders(booking):
    return sorted(booking.notifications.filter(event="reminder").values_list("occasion", "channel"))


def test_the_24_and_2_hour_reminders_fire_once_each(booked):
    start = booked.start
    assert schedule_reminders(now=start - timedelta(hours=25)) == 0
    assert schedule_reminders(now=start - timedelta(hours=24)) == 2
    assert schedule_reminders(now=start - timedelta(hours=23)) == 0
    assert schedule_reminders(now=start - timedelta(hours=2, minutes=1)) == 0
    assert schedule_reminders(now=start - timedelta(hours=2)) == 2
    assert schedule_reminders(now=start - timedelta(minutes=30)) == 0
    assert schedule_reminders(now=start + timedelta(minutes=1)) == 0
    assert reminders(booked) == [("24h", "email"), ("24h", "sms"), ("2h", "email"), ("2h", "sms")]


def test_a_late_first_look_sends_only_the_nearest_reminder(booked):
    assert schedule_reminders(now=booked.start - timedelta(hours=1)) == 2
    assert schedule_reminders(now=booked.start - timedelta(minutes=50)) == 0
    assert reminders(booked) == [("2h", "email"), ("2h", "sms")]


def test_a_booking_made_after_a_reminder_time_skips_that_reminder(booked):
    Booking.objects.filter(pk=booked.pk).update(created_at=booked.start - timedelta(hours=5))
    assert schedule_reminders(now=booked.start - timedelta(hours=4)) == 0
    assert schedule_reminders(now=booked.start - timedelta(hours=2)) == 2
    assert reminders(booked) == [("2h", "email"), ("2h", "sms")]


def test_cancelled_bookings_get_no_reminder(booked, settings):
    booking_cancel(booked, by_staff=True)
    assert schedule_reminders(now=booked.start - timedelta(hours=24)) == 0
    assert reminders(booked) == []


def test_the_offsets_come_from_settings(booked, settings):
    settings.NOTIFICATIONS_REMINDER_HOURS = [48]
    assert schedule_reminders(now=booked.start - timedelta(hours=47)) == 2
    assert schedule_reminders(now=booked.start - timedelta(hours=2)) == 0
    assert reminders(booked) == [("48h", "email"), ("48h", "sms")]


def test_a_reminder_written_before_a_cancellation_is_skipped_at_send_time(booked):
    from notifications.services import deliver

    schedule_reminders(now=booked.start - timedelta(hours=24))
    booking_cancel(booked, by_staff=True)
    for reminder in booked.notifications.filter(event="reminder"):
        deliver(reminder.pk)
    assert set(booked.notifications.filter(event="reminder").values_list("status", flat=True)) == {
        Notification.Status.SKIPPED
    }
