"""POST /api/bookings/: a valid body books a place; anything else is a clean 4xx with a code."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking, BookingEvent, Slot
from bookings.selectors import business_tz
from tests.api.conftest import BOOKINGS, assert_error, booking_row
from tests.conftest import local


def test_a_booking_is_created_and_described(anon, body, service, tomorrow):
    response = anon.post(BOOKINGS, body(), format="json")

    assert response.status_code == 201
    data = response.json()
    booking = Booking.objects.get()
    assert data == {
        "id": booking.pk,
        "reference": booking.reference,
        "status": "pending",
        "service": "haircut",
        "service_name": "Haircut",
        "start": local(tomorrow, 10).isoformat(),
        "end": local(tomorrow, 11).isoformat(),
        "amount": 50000,
        "currency": "INR",
        "customer": {"name": "Asha Rao", "phone": "+919876543210", "email": "asha@example.com"},
        "channels": ["sms", "email"],
        "notes": "Window seat",
        "hold_expires_at": None,
        "created_at": data["created_at"],
        "access_token": booking.access_token,
    }
    assert data["start"].endswith("+05:30")  # the business time zone, Asia/Kolkata
    assert booking.user is None
    assert Slot.objects.get(service=service).taken == 1
    assert BookingEvent.objects.get(booking=booking).source == "customer"


def test_a_start_given_in_another_offset_is_the_same_instant(anon, body, tomorrow):
    start_utc = local(tomorrow, 10).astimezone(UTC).isoformat().replace("+00:00", "Z")
    response = anon.post(BOOKINGS, body(start=start_utc), format="json")
    assert response.status_code == 201
    assert response.json()["start"] == local(tomorrow, 10).isoformat()


def test_times_are_shown_in_the_configured_business_time_zone(anon, body, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    day = timezone.localdate(timezone.now(), business_tz()) + timedelta(days=2)
    start = local(day, 10)
    response = anon.post(BOOKINGS, body(start=start.astimezone(UTC).isoformat()), format="json")
    assert response.status_code == 201
    assert response.json()["start"] == f"{day.isoformat()}T10:00:00+01:00"
    assert response.json()["end"] == f"{day.isoformat()}T11:00:00+01:00"


def test_a_logged_in_customers_booking_is_theirs(as_asha, asha, body):
    response = as_asha.post(BOOKINGS, body(), format="json")
    assert response.status_code == 201
    assert booking_row(response.json()).user == asha


def test_channels_default_to_what_the_customer_can_receive(anon, body):
    data = body()
    del data["channels"], data["notes"]
    data["customer"] = {"name": "Ravi", "phone": "98765 43210"}
    response = anon.post(BOOKINGS, data, format="json")
    assert response.status_code == 201
    assert response.json()["channels"] == ["sms", "whatsapp"]
    assert response.json()["customer"] == {"name": "Ravi", "phone": "+919876543210", "email": ""}


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"customer": {"name": "Asha", "phone": "12345"}}, "customer.phone", "valid mobile number"),
        ({"customer": {"name": "   ", "phone": "+91 98765 43210"}}, "customer.name", "blank"),
        ({"customer": {"name": "A", "phone": "+91 98765 43210", "email": "no-at"}}, "customer.email", "valid email"),
        ({"customer": {"name": "A", "phone": "+91 98765 43210"}, "channels": ["email"]}, "customer.email", "email"),
        ({"customer": {"name": "x" * 121, "phone": "+91 98765 43210"}}, "customer.name", "120 characters"),
        ({"customer": {"name": "A", "phone": "1" * 10_000}}, "customer.phone", "40 characters"),
        ({"customer": "Asha"}, "customer", "dictionary"),
        ({"channels": ["fax"]}, "channels.0", "not a valid choice"),
        ({"channels": "sms"}, "channels", "list"),
        ({"notes": "n" * 1001}, "notes", "1000 characters"),
        ({"service": "no-such-service"}, "service", "no service"),
        ({"service": "not a slug!"}, "service", "slug"),
        ({"start": "2026-12-10T10:00:00"}, "start", "UTC offset"),
        ({"start": "10/12/2026 10:00"}, "start", "wrong format"),
        ({"start": "0001-01-01T00:00:00+05:30"}, "start", "out of range"),
        ({"start": "9999-12-31T23:59:59-12:00"}, "start", "out of range"),
        ({"start": 1765350000}, "start", "wrong format"),
        ({"start": None}, "start", "null"),
    ],
)
def test_malformed_fields_are_400_invalid_at_their_path(anon, body, changes, path, message):
    response = anon.post(BOOKINGS, body(**changes), format="json")
    error = assert_error(response, 400, "invalid", {path: message})
    assert error["detail"].startswith(f"{path}: ")
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (lambda day: local(day, 10) - timedelta(days=3), "already passed"),
        (lambda day: local(day, 10, 30), "every 60 minutes"),
        (lambda day: local(day, 20), "outside opening hours"),
        (lambda day: local(day, 10) + timedelta(days=400), "days ahead"),
    ],
    ids=["past", "off-the-grid", "after-closing", "beyond-the-horizon"],
)
def test_times_the_service_does_not_offer_are_400_on_start(anon, body, tomorrow, start, message):
    response = anon.post(BOOKINGS, body(start=start(tomorrow).isoformat()), format="json")
    assert_error(response, 400, "invalid", {"start": message})
    assert Booking.objects.count() == 0


def test_several_field_errors_come_together(anon, body):
    data = body(customer={"name": "", "phone": ""}, channels=["fax"])
    del data["start"]
    error = assert_error(anon.post(BOOKINGS, data, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"customer.name", "customer.phone", "channels.0", "start"}
    assert "more field errors" in error["detail"]


def test_an_inactive_service_takes_no_bookings(anon, body, service):
    service.is_active = False
    service.save()
    assert_error(anon.post(BOOKINGS, body(), format="json"), 400, "invalid", {"service": "not taking bookings"})


def test_a_service_paid_online_points_to_the_payment_endpoint(anon, body, make_service):
    paid = make_service("consultation", requires_payment=True)
    error = assert_error(
        anon.post(BOOKINGS, body(service=paid.slug), format="json"), 400, "payment_required", {"service": "paid"}
    )
    assert "razorpay-booking" in error["detail"]
    assert Booking.objects.count() == 0


def test_a_full_slot_is_409_slot_unavailable(anon, body, book):
    book()
    response = anon.post(
        BOOKINGS, body(customer={"name": "Bala", "phone": "+91 91234 56789"}, channels=[]), format="json"
    )
    assert_error(response, 409, "slot_unavailable")
    assert Booking.objects.count() == 1


def test_a_body_that_is_not_json_is_400_parse_error(anon):
    response = anon.post(BOOKINGS, '{"service": "haircut",', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_json_nested_too_deeply_is_400_parse_error(anon):
    response = anon.post(BOOKINGS, "[" * 100_000, content_type="application/json")
    assert_error(response, 400, "parse_error")


@pytest.mark.parametrize("payload", ["[]", '"a string"', "null", "42"])
def test_json_that_is_not_an_object_is_400(anon, payload):
    error = assert_error(anon.post(BOOKINGS, payload, content_type="application/json"), 400, "invalid")
    assert "non_field_errors" in error["fields"]


def test_a_form_post_is_415_unsupported_media_type(anon, body):
    response = anon.post(BOOKINGS, {"service": "haircut"}, format="multipart")
    assert_error(response, 415, "unsupported_media_type")
    response = anon.post(BOOKINGS, "service=haircut", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_a_body_over_the_upload_limit_is_413(anon, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = anon.post(BOOKINGS, body(notes="n" * 2000), format="json")
    assert_error(response, 413, "request_too_large")


def test_an_empty_body_lists_the_required_fields(anon):
    error = assert_error(anon.post(BOOKINGS, content_type="application/json"), 400, "invalid")
    assert set(error["fields"]) == {"service", "start", "customer"}


def test_nul_characters_are_refused_not_stored(anon, body):
    response = anon.post(BOOKINGS, body(customer={"name": "A\x00sha", "phone": "+91 98765 43210"}), format="json")
    assert_error(response, 400, "invalid", {"customer.name": "Null characters"})
    response = anon.post(BOOKINGS, body(service="hair\x00cut"), format="json")
    assert_error(response, 400, "invalid", {"service": "Null characters"})
