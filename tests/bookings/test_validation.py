"""Bad input gets a clear error naming the field, and no booking is made."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.models import Booking, Closure, Slot
from bookings.services import booking_create, normalize_phone
from tests.conftest import local


def errors_of(service, **kwargs) -> dict:
    with pytest.raises(ValidationError) as raised:
        booking_create(service=service, **kwargs)
    assert Booking.objects.count() == 0
    assert not Slot.objects.filter(taken__gt=0).exists()
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+91 98765 43210", "+919876543210"),
        ("98765 43210", "+919876543210"),  # local numbers are read in the default region
        ("09876543210", "+919876543210"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
    ],
)
def test_phone_numbers_are_stored_in_e164(service, tomorrow, customer, raw, e164):
    assert normalize_phone(raw) == e164
    booking = booking_create(service=service, start=local(tomorrow, 10), **{**customer, "phone": raw})
    booking.refresh_from_db()
    assert str(booking.phone) == e164


@pytest.mark.parametrize("raw", ["", "12345", "not a number", "+91 12345", "+999 1234567890", "9" * 40])
def test_invalid_phone_numbers_are_refused_with_an_example(service, tomorrow, customer, raw):
    errors = errors_of(service, start=local(tomorrow, 10), **{**customer, "phone": raw})
    assert errors == {"phone": ["Enter a valid mobile number, e.g. +91 98765 43210."]}


@pytest.mark.parametrize("raw", ["asha", "asha@", "@example.com", "asha@example", "a b@example.com"])
def test_invalid_emails_are_refused(service, tomorrow, customer, raw):
    errors = errors_of(service, start=local(tomorrow, 10), **{**customer, "email": raw})
    assert errors == {"email": ["Enter a valid email address."]}


def test_email_is_optional_unless_messages_go_by_email(service, tomorrow, customer):
    without = {**customer, "email": ""}
    booking = booking_create(service=service, start=local(tomorrow, 10), **without)
    assert booking.channels == ["sms", "whatsapp"]
    Booking.objects.all().delete()
    Slot.objects.all().delete()
    errors = errors_of(service, start=local(tomorrow, 11), channels=["email"], **without)
    assert errors == {"email": ["Give an email address to get messages by email."]}


def test_every_bad_field_is_reported_at_once(service, tomorrow):
    errors = errors_of(
        service, start=local(tomorrow, 10), name="  ", phone="123", email="x@", channels=["sms", "pigeon"]
    )
    assert set(errors) == {"name", "phone", "email", "channels"}
    assert "pigeon" in errors["channels"][0]


def test_channels_are_kept_once_each_in_order(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["email", "sms", "email"], **customer)
    assert booking.channels == ["email", "sms"]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (lambda day: local(day - timedelta(days=2), 10), "This time has already passed."),
        (lambda day: local(day, 10, 30), "Appointments start every 60 minutes from opening time."),
        (lambda day: local(day, 8), "That time is outside opening hours."),
        (lambda day: local(day, 16, 30), "That time is outside opening hours."),
        (lambda day: local(day + timedelta(days=90), 10), "Bookings open 60 days ahead."),
        (lambda day: datetime(day.year, day.month, day.day, 10), "Give the time with its UTC offset"),
    ],
)
def test_starts_that_cannot_be_booked_are_explained(service, tomorrow, customer, start, message):
    errors = errors_of(service, start=start(tomorrow), **customer)
    assert errors["start"][0].startswith(message)


def test_a_start_inside_the_lead_time_is_refused(service, customer, settings):
    settings.BOOKING_MIN_LEAD_MINUTES = 24 * 60 * 3
    day = timezone.localdate() + timedelta(days=1)
    errors = errors_of(service, start=local(day, 10), **customer)
    assert errors == {"start": ["Book at least 4320 minutes ahead."]}


def test_a_start_on_a_closed_day_is_refused(service, tomorrow, customer):
    Closure.objects.create(starts_on=tomorrow, ends_on=tomorrow, reason="Diwali")
    assert errors_of(service, start=local(tomorrow, 10), **customer) == {"start": ["We are closed on that day."]}


def test_the_same_instant_in_another_offset_is_the_same_start(service, tomorrow, customer):
    new_york = local(tomorrow, 10).astimezone(timezone.get_fixed_timezone(-5 * 60))
    booking = booking_create(service=service, start=new_york, **customer)
    assert booking.start == local(tomorrow, 10)


def test_inactive_services_and_online_only_services(make_service, tomorrow, customer):
    closed = make_service("closed", is_active=False)
    assert errors_of(closed, start=local(tomorrow, 10), **customer) == {
        "service": ["This service is not taking bookings."]
    }
    paid = make_service("paid", requires_payment=True)
    assert errors_of(paid, start=local(tomorrow, 10), **customer) == {
        "service": ["This service is paid online when booking."]
    }


def test_the_price_is_copied_from_the_service(make_service, tomorrow, customer):
    service = make_service(price=123450, currency="INR")
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
    assert (booking.amount, booking.currency) == (123450, "INR")
    assert booking.end - booking.start == timedelta(hours=1)
    assert booking.reference.startswith("BK-") and len(booking.reference) == 9
    assert len(booking.access_token) >= 32
