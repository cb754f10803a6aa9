"""GET /api/bookings/: filtered by status, service and days, paginated, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking
from bookings.services import booking_create
from tests.api.conftest import BOOKINGS, assert_error
from tests.conftest import local


@pytest.fixture
def bookings(make_service, service, tomorrow, customer, asha):
    """Asha's bookings: haircut tomorrow 10:00 and 11:00 (cancelled), massage the day after at 10:00."""
    massage = make_service("massage")
    made = [
        booking_create(service=service, start=local(tomorrow, 10), user=asha, **customer),
        booking_create(service=service, start=local(tomorrow, 11), user=asha, **customer),
        booking_create(service=massage, start=local(tomorrow + timedelta(days=1), 10), user=asha, **customer),
    ]
    Booking.objects.filter(pk=made[1].pk).update(status="cancelled")
    return made


def listed(client, **params):
    response = client.get(BOOKINGS, params)
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_filters(as_asha, bookings, tomorrow):
    first, cancelled, massage = (b.pk for b in bookings)
    day_after = tomorrow + timedelta(days=1)
    assert listed(as_asha) == [first, cancelled, massage]
    assert listed(as_asha, status="cancelled") == [cancelled]
    assert listed(as_asha, service="massage") == [massage]
    assert listed(as_asha, service="no-such-service") == []
    assert listed(as_asha, date_from=day_after.isoformat()) == [massage]
    assert listed(as_asha, date_to=tomorrow.isoformat()) == [first, cancelled]
    assert listed(as_asha, date_from=tomorrow.isoformat(), date_to=tomorrow.isoformat(), status="pending") == [first]
    assert listed(as_asha, date_from="0001-01-01", date_to="9999-12-31") == [first, cancelled, massage]


def test_days_are_days_of_the_business_time_zone(as_asha, service, customer, asha, tomorrow):
    # 00:30 in Kolkata is still the previous day in UTC: it belongs to the Kolkata day.
    service.opening_hours.update(opens="00:00")
    early = booking_create(service=service, start=local(tomorrow, 0) + timedelta(hours=1), user=asha, **customer)
    assert listed(as_asha, date_from=tomorrow.isoformat(), date_to=tomorrow.isoformat()) == [early.pk]
    assert listed(as_asha, date_to=(tomorrow - timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"status": "lost"}, "status"),
        ({"service": "not a slug"}, "service"),
        ({"date_from": "05-12-2026"}, "date_from"),
        ({"date_to": "2026-12-32"}, "date_to"),
        ({"date_from": "2026-12-10", "date_to": "2026-12-09"}, "date_to"),
    ],
)
def test_bad_filters_are_400(as_asha, params, path):
    assert_error(as_asha.get(BOOKINGS, params), 400, "invalid", {path: ""})


def test_pages(as_staff, bookings):
    page = as_staff.get(BOOKINGS, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and "page=2" in page["next"]
    assert len(as_staff.get(page["next"]).json()["results"]) == 1
    assert_error(as_staff.get(BOOKINGS, {"page": 9}), 404, "not_found")


def test_the_number_of_queries_does_not_grow_with_the_page(as_staff, make_service, tomorrow, customer, asha):
    services = [make_service(f"service-{n}", capacity=5) for n in range(3)]

    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            response = as_staff.get(BOOKINGS, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        return len(captured)

    for hour in range(9, 13):
        for service in services:
            booking_create(service=service, start=local(tomorrow, hour), user=asha, **customer)
    assert queries(1) == queries(12) <= 4  # token, count, page (and nothing per booking)
