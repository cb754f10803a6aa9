"""The booking form: booking_create's errors next to the fields they concern, a slot taken
meanwhile as a friendly message with the nearest free times, and the hand-over to payment."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.services import booking_create
from tests.conftest import local
from tests.pages.html import attributes, block_text

pytestmark = pytest.mark.django_db


def post(client, service, start, **fields):
    data = {
        "start": start.isoformat(),
        "name": "Asha Rao",
        "phone": "+91 98765 43210",
        "email": "",
        "channels": ["sms", "whatsapp"],
        "notes": "",
        **fields,
    }
    return client.post(reverse("bookings:book", args=[service.slug]), data)


def test_a_good_form_books_and_goes_to_the_status_page(client, service, tomorrow):
    response = post(client, service, local(tomorrow, 10), notes="Window seat, please")

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/b/{booking.reference}/{booking.access_token}/"
    assert (booking.status, booking.customer_name, booking.notes) == ("pending", "Asha Rao", "Window seat, please")
    assert booking.start == local(tomorrow, 10)


def test_a_bad_phone_number_is_marked_next_to_the_phone_field(client, service, tomorrow):
    response = post(client, service, local(tomorrow, 10), phone="12345")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid mobile number, e.g. +91 98765 43210." in block_text(html, "id_phone")
    phone = attributes(html, "id_phone")
    assert phone["aria-invalid"] == "true"
    assert "id_phone_error" in phone["aria-describedby"].split()
    assert phone["value"] == "12345"  # what was typed stays, to be corrected
    assert attributes(html, "id_name")["value"] == "Asha Rao"
    assert "<title>Error: " in html
    assert not Booking.objects.exists()


def test_a_time_in_the_past_is_marked_next_to_the_time(client, service, tomorrow):
    response = post(client, service, local(tomorrow - timedelta(days=2), 10))

    html = response.content.decode()
    when = block_text(html, "id_start_error", block_class="when")
    assert "This time has already passed." in when
    assert "Choose another time" in when
    assert not Booking.objects.exists()


def test_a_slot_taken_meanwhile_offers_the_nearest_free_times(client, service, tomorrow, customer):
    booking_create(service=service, start=local(tomorrow, 10), **customer)

    response = post(client, service, local(tomorrow, 10), name="Ravi Kumar", phone="+91 91234 56789")

    html = response.content.decode()
    when = block_text(html, "id_start_error", block_class="when")
    assert "Sorry, someone else has just taken this time." in when
    offered = [attributes(html, f"id_start_alt_{n}")["value"] for n in range(3)]
    assert offered == [local(tomorrow, hour).isoformat() for hour in (9, 11, 12)]
    assert attributes(html, "id_phone")["value"] == "+91 91234 56789"  # nothing to type again

    response = post(client, service, local(tomorrow, 11), name="Ravi Kumar", phone="+91 91234 56789")
    assert response.status_code == 302
    assert Booking.objects.filter(customer_name="Ravi Kumar", start=local(tomorrow, 11)).exists()


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"name": "  "}, "id_name", "Tell us your name."),
        ({"channels": ["email"]}, "id_email", "Give an email address to get messages by email."),
        ({"email": "asha@"}, "id_email", "Enter a valid email address."),
        ({"channels": []}, "id_channels_0", "Choose at least one way to hear from us."),
    ],
)
def test_other_field_errors_are_marked_next_to_their_fields(client, service, tomorrow, fields, field_id, message):
    response = post(client, service, local(tomorrow, 10), **fields)

    assert message in block_text(response.content.decode(), field_id)
    assert not Booking.objects.exists()


def test_opening_the_form_for_a_time_already_full_says_so_at_once(client, service, tomorrow, customer):
    booking_create(service=service, start=local(tomorrow, 10), **customer)

    url = reverse("bookings:book", args=[service.slug])
    response = client.get(url, {"start": local(tomorrow, 10).isoformat()})

    html = response.content.decode()
    assert "someone else has just taken this time" in block_text(html, "id_start_error", block_class="when")
    assert attributes(html, "id_start_alt_0")["value"] == local(tomorrow, 9).isoformat()


def test_the_form_without_a_time_goes_back_to_the_times(client, service):
    response = client.get(reverse("bookings:book", args=[service.slug]), {"start": "soon"})

    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:service", args=[service.slug])


def test_the_booking_form_needs_its_csrf_token(service, tomorrow):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), service, local(tomorrow, 10))

    assert response.status_code == 403
    assert not Booking.objects.exists()


# --- Services paid online: payments.services.checkout_start, then the payment page ---------


def test_a_paid_service_goes_on_to_the_payment_page(client, make_service, tomorrow, monkeypatch):
    service = make_service("turf", requires_payment=True)
    started = {}

    def checkout_start(**kwargs):
        started.update(kwargs)
        booking = booking_create(**kwargs, pay_online=True)
        return booking, None

    monkeypatch.setattr("payments.services.checkout_start", checkout_start)

    response = post(client, service, local(tomorrow, 10), email="asha@example.com")

    booking = Booking.objects.get()
    assert booking.status == "awaiting_payment"
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "payments:checkout", kwargs={"reference": booking.reference, "token": booking.access_token}
    )
    assert started["service"] == service and started["start"] == local(tomorrow, 10)
    assert (started["name"], started["phone"], started["email"]) == ("Asha Rao", "+91 98765 43210", "asha@example.com")


def test_the_payment_provider_down_is_a_friendly_message(client, make_service, tomorrow, monkeypatch):
    from payments.errors import PaymentProviderUnavailable

    service = make_service("turf", requires_payment=True)

    def checkout_start(**kwargs):
        raise PaymentProviderUnavailable()

    monkeypatch.setattr("payments.services.checkout_start", checkout_start)

    response = post(client, service, local(tomorrow, 10))

    assert response.status_code == 200
    assert "We could not reach the payment provider, so nothing was booked or charged." in response.content.decode()
    assert not Booking.objects.exists()
