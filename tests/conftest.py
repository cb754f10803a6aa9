from datetime import date, datetime, time, timedelta

import pytest
from django.test.testcases import LiveServerThread
from django.utils import timezone

from bookings.models import OpeningHours, Service
from bookings.selectors import business_tz
from sandbox.servers import LiveServer

LiveServerThread.server_class = LiveServer  # serves the sandbox without Nagle's delay


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime in the business time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=business_tz())


@pytest.fixture
def tomorrow() -> date:
    return timezone.localdate(timezone.now(), business_tz()) + timedelta(days=1)


@pytest.fixture
def make_service(db):
    """A service open every day 09:00-17:00 unless `hours` says otherwise."""

    def make(slug="haircut", *, hours=((time(9), time(17)),), **fields):
        fields = {"name": slug.title(), "duration_minutes": 60, "price": 50000, "capacity": 1, **fields}
        service = Service.objects.create(slug=slug, **fields)
        OpeningHours.objects.bulk_create(
            OpeningHours(service=service, weekday=day, opens=opens, closes=closes)
            for day in range(7)
            for opens, closes in hours
        )
        return service

    return make


@pytest.fixture
def service(make_service):
    return make_service()


@pytest.fixture
def customer():
    """Keyword arguments for booking_create describing a valid customer."""
    return {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Django's cache holds the API's throttle counters: every test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


STAFF_GROUP_MIGRATIONS = [
    ("bookings.migrations.0004_staff_groups", "create_groups"),
    ("notifications.migrations.0003_staff_groups", "extend_groups"),
    ("payments.migrations.0003_staff_groups", "extend_groups"),
]


@pytest.fixture
def staff_groups(db):
    """The "Front desk" and "Manager" groups of the data migrations. A transactional test
    flushes the tables afterwards, groups included: this puts them back, the same way."""
    from importlib import import_module

    from django.apps import apps

    for module, function in STAFF_GROUP_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
