"""The admin pages staff use render, and the booking page cannot change what services own."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bookings.services import booking_create
from tests.conftest import local


@pytest.fixture
def staff_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", "boss@example.com", "pw"))
    return client


def test_admin_login_page_is_served(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_staff_see_bookings_services_and_closures(staff_client, service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
    listing = staff_client.get(reverse("admin:bookings_booking_changelist"))
    assert listing.status_code == 200
    assert booking.reference in listing.content.decode()
    assert staff_client.get(reverse("admin:bookings_booking_changelist"), {"q": "Asha"}).status_code == 200
    page = staff_client.get(reverse("admin:bookings_booking_change", args=[booking.pk]))
    assert page.status_code == 200
    assert "Booked" in page.content.decode()  # the audit trail
    assert staff_client.get(reverse("admin:bookings_service_change", args=[service.pk])).status_code == 200
    assert staff_client.get(reverse("admin:bookings_closure_add")).status_code == 200


@pytest.mark.parametrize(
    ("monday", "extra"),
    [
        (("09:00", "17:00"), ("16:00", "18:00")),  # overlaps Monday's hours as saved
        (("17:00", "20:00"), ("18:00", "19:30")),  # overlaps Monday's hours as sent with it
    ],
)
def test_overlapping_opening_hours_are_refused(staff_client, service, monday, extra):
    url = reverse("admin:bookings_service_change", args=[service.pk])
    hours = list(service.opening_hours.order_by("id"))
    form = {
        "name": service.name,
        "slug": service.slug,
        "duration_minutes": 60,
        "price": 100,
        "currency": "INR",
        "capacity": 1,
        "is_active": "on",
        "auto_confirm_paid": "on",
        "opening_hours-TOTAL_FORMS": len(hours) + 1,
        "opening_hours-INITIAL_FORMS": len(hours),
    }
    for n, row in enumerate(hours):
        form |= {
            f"opening_hours-{n}-id": row.pk,
            f"opening_hours-{n}-service": service.pk,
            f"opening_hours-{n}-weekday": row.weekday,
            f"opening_hours-{n}-opens": monday[0] if row.weekday == 0 else "09:00",
            f"opening_hours-{n}-closes": monday[1] if row.weekday == 0 else "17:00",
        }
    n = len(hours)
    form |= {
        f"opening_hours-{n}-service": service.pk,
        f"opening_hours-{n}-weekday": 0,
        f"opening_hours-{n}-opens": extra[0],
        f"opening_hours-{n}-closes": extra[1],
    }
    response = staff_client.post(url, form)
    assert response.status_code == 200
    assert "These hours overlap other hours of the same day." in response.content.decode()
    assert service.opening_hours.count() == len(hours)
