"""The list of services and a service's page: the days to pick from and their free times."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.models import Closure
from bookings.services import booking_create
from tests.conftest import local
from tests.pages.html import block_text

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_services_with_price_and_duration(client, make_service):
    make_service("yoga", name="Morning yoga", price=30000, duration_minutes=60)
    make_service("consultation", name="Consultation", price=50050, duration_minutes=30, requires_payment=True)
    make_service("closed", name="Old service", is_active=False)

    html = client.get("/").content.decode()

    yoga = block_text(html, "service-yoga", block_class="card")
    assert "₹300" in yoga and "1 hour" in yoga and "Pay at the venue" in yoga
    consultation = block_text(html, "service-consultation", block_class="card")
    assert "₹500.50" in consultation and "30 min" in consultation and "Paid online when you book" in consultation
    assert "Old service" not in html
    assert 'href="/services/yoga/"' in html


def test_a_service_page_shows_the_next_30_days_and_the_free_times_of_the_chosen_one(
    client, make_service, tomorrow, customer
):
    service = make_service("yoga", capacity=3, hours=[(local(tomorrow, 9).time(), local(tomorrow, 12).time())])
    booking_create(service=service, start=local(tomorrow, 10), **customer)

    response = client.get(reverse("bookings:service", args=["yoga"]), {"date": f"{tomorrow:%Y-%m-%d}"})

    html = response.content.decode()
    assert html.count('class="day"') == 30
    assert f'data-date="{tomorrow:%Y-%m-%d}" aria-current="date"' in html
    slots = block_text(html, "slots", block_class="slots-region")
    assert "09:00 3 places left" in slots
    assert "10:00 2 places left" in slots
    assert "11:00 3 places left" in slots
    start = local(tomorrow, 10).isoformat().replace(":", "%3A").replace("+", "%2B")
    assert f'href="/services/yoga/book/?start={start}"' in html


def test_a_day_outside_the_30_days_shows_today_instead(client, service, tomorrow):
    response = client.get(reverse("bookings:service", args=[service.slug]), {"date": "2001-01-01"})

    assert "Pick a day from today to" in response.content.decode()


def test_a_day_without_free_times_points_to_the_next_one(client, service, tomorrow):
    Closure.objects.create(starts_on=tomorrow, ends_on=tomorrow + timedelta(days=1), reason="Holiday")

    response = client.get(reverse("bookings:service", args=[service.slug]), {"date": f"{tomorrow:%Y-%m-%d}"})

    html = response.content.decode()
    assert "No free times on this day." in html
    day_after = tomorrow + timedelta(days=2)
    assert f'data-date="{day_after:%Y-%m-%d}">The next day with free times is {day_after:%A}' in html


def test_the_slots_of_a_day_alone_for_the_enhancement_script(client, service, tomorrow):
    response = client.get(reverse("bookings:slots", args=[service.slug]), {"date": f"{tomorrow:%Y-%m-%d}"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<h2>Free times on" in html
    assert "16:00" in html


def test_an_unknown_or_inactive_service_is_not_found(client, make_service):
    make_service("closed", is_active=False)

    assert client.get("/services/nothing/").status_code == 404
    assert client.get("/services/closed/").status_code == 404
    assert client.get("/services/closed/book/?start=2030-01-01T10:00:00%2B05:30").status_code == 404
