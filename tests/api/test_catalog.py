"""The catalog each process keeps (bookings/catalog.py): a change to a service, its hours
or its closures reaches the next request whatever made it, and an unchanged catalog is
not read again."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Closure, OpeningHours, Service
from tests.api.conftest import BOOKINGS, assert_error

CATALOG_TABLES = ("bookings_service", "bookings_openinghours", "bookings_closure")


def slots(client, tomorrow, slug="haircut"):
    return client.get(f"/api/services/{slug}/slots/", {"date": tomorrow.isoformat()})


def starts(response) -> list[str]:
    return [slot["start"][11:16] for slot in response.json()["slots"]]


@pytest.fixture
def listed(anon, service, tomorrow):
    """The service's slots listed once, so the catalog is kept before the change under test."""
    assert slots(anon, tomorrow).status_code == 200


def test_an_unchanged_catalog_is_not_read_again(anon, listed, tomorrow, body):
    with CaptureQueriesContext(connection) as queries:
        assert slots(anon, tomorrow).status_code == 200
        assert anon.post(BOOKINGS, body(), format="json").status_code == 201
    read = [query["sql"] for query in queries if any(table in query["sql"] for table in CATALOG_TABLES)]
    assert read == []


def test_a_service_switched_off_in_bulk_stops_taking_bookings(anon, listed, service, tomorrow, body):
    Service.objects.filter(pk=service.pk).update(is_active=False)

    assert_error(anon.post(BOOKINGS, body(), format="json"), 400, "invalid", {"service": "not taking bookings"})
    assert slots(anon, tomorrow).status_code == 404


def test_a_closure_written_in_bulk_closes_the_day(anon, listed, tomorrow, body):
    Closure.objects.bulk_create([Closure(service=None, starts_on=tomorrow, ends_on=tomorrow)])

    assert slots(anon, tomorrow).json()["slots"] == []
    assert_error(anon.post(BOOKINGS, body(), format="json"), 400, "invalid", {"start": "closed"})


def test_a_closure_deleted_opens_the_day_again(anon, service, tomorrow, body):
    closure = Closure.objects.create(service=service, starts_on=tomorrow, ends_on=tomorrow + timedelta(days=1))
    assert slots(anon, tomorrow).json()["slots"] == []

    closure.delete()

    assert len(starts(slots(anon, tomorrow))) == 8
    assert anon.post(BOOKINGS, body(), format="json").status_code == 201


def test_hours_changed_by_raw_sql_move_the_slots(anon, listed, service, tomorrow, body):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bookings_openinghours SET opens = %s, closes = %s WHERE service_id = %s",
            ["14:00:00", "16:00:00", service.pk],
        )

    assert starts(slots(anon, tomorrow)) == ["14:00", "15:00"]
    assert_error(anon.post(BOOKINGS, body(hour=10), format="json"), 400, "invalid", {"start": "opening hours"})
    assert anon.post(BOOKINGS, body(hour=14), format="json").status_code == 201


def test_a_lowered_capacity_holds_at_once(anon, make_service, tomorrow, body):
    make_service("yoga", capacity=2)
    assert slots(anon, tomorrow, "yoga").json()["slots"][0]["places_left"] == 2
    Service.objects.filter(slug="yoga").update(capacity=1)

    assert anon.post(BOOKINGS, body(service="yoga"), format="json").status_code == 201
    second = body(service="yoga", customer={"name": "Bala", "phone": "+91 91234 56789"}, channels=[])
    assert_error(anon.post(BOOKINGS, second, format="json"), 409, "slot_unavailable")


def test_hours_added_for_a_new_service_are_seen(anon, listed, tomorrow):
    other = Service.objects.create(slug="massage", name="Massage", duration_minutes=30, price=1000)
    assert slots(anon, tomorrow, "massage").json()["slots"] == []

    OpeningHours.objects.create(service=other, weekday=tomorrow.weekday(), opens=time(9), closes=time(10))

    assert starts(slots(anon, tomorrow, "massage")) == ["09:00", "09:30"]


@pytest.mark.django_db(transaction=True)
def test_committed_changes_reach_a_kept_catalog(anon, service, tomorrow):
    """Outside a test's transaction, as in production: every write commits on its own."""
    assert len(starts(slots(anon, tomorrow))) == 8

    Closure.objects.create(service=service, starts_on=tomorrow, ends_on=tomorrow)
    assert slots(anon, tomorrow).json()["slots"] == []

    Closure.objects.all().delete()
    Service.objects.filter(pk=service.pk).update(duration_minutes=120)
    assert starts(slots(anon, tomorrow)) == ["09:00", "11:00", "13:00", "15:00"]
