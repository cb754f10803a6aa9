"""GET /api/services/{slug}/slots/?date=YYYY-MM-DD: the free starts of a day, with places left."""

from datetime import date, timedelta

import pytest

from bookings.models import Closure
from tests.api.conftest import assert_error
from tests.conftest import local


def slots_url(slug="haircut"):
    return f"/api/services/{slug}/slots/"


def test_the_free_starts_of_a_day_with_places_left(anon, service, tomorrow, book):
    service.capacity = 2
    service.save()
    book(hour=10)
    book(hour=11)
    book(hour=11, customer={"name": "Bala", "phone": "+91 91234 56789"}, channels=[])

    response = anon.get(slots_url(), {"date": tomorrow.isoformat()})

    assert response.status_code == 200
    data = response.json()
    assert (data["service"], data["date"], data["time_zone"]) == ("haircut", tomorrow.isoformat(), "Asia/Kolkata")
    assert len(data["slots"]) == 7  # 09:00 to 16:00, 11:00 full
    assert data["slots"][0] == {
        "start": local(tomorrow, 9).isoformat(),
        "end": local(tomorrow, 10).isoformat(),
        "places_left": 2,
    }
    assert data["slots"][1] == {
        "start": local(tomorrow, 10).isoformat(),
        "end": local(tomorrow, 11).isoformat(),
        "places_left": 1,
    }
    assert local(tomorrow, 11).isoformat() not in [slot["start"] for slot in data["slots"]]


@pytest.mark.parametrize(
    "day",
    [lambda t: t - timedelta(days=2), lambda t: t + timedelta(days=400), lambda t: date.min, lambda t: date.max],
    ids=["past", "beyond-the-horizon", "year-1", "year-9999"],
)
def test_days_that_cannot_be_booked_have_no_slots(anon, make_service, tomorrow, day):
    make_service("haircut", hours=[(local(tomorrow, 0).time(), local(tomorrow, 4).time())])
    response = anon.get(slots_url(), {"date": day(tomorrow).isoformat()})
    assert response.status_code == 200
    assert response.json()["slots"] == []


def test_a_closed_day_has_no_slots(anon, service, tomorrow):
    Closure.objects.create(starts_on=tomorrow, ends_on=tomorrow)
    assert anon.get(slots_url(), {"date": tomorrow.isoformat()}).json()["slots"] == []


@pytest.mark.parametrize("value", ["", "tomorrow", "05/12/2026", "2026-02-30", "2026-12-05T10:00:00+05:30", "2026-1-5"])
def test_a_date_in_another_format_is_400(anon, service, value):
    assert_error(anon.get(slots_url(), {"date": value}), 400, "invalid", {"date": ""})


def test_the_date_is_required(anon, service):
    assert_error(anon.get(slots_url()), 400, "invalid", {"date": "required"})


def test_unknown_and_inactive_services_are_404(anon, make_service, tomorrow):
    make_service("retired", is_active=False)
    assert_error(anon.get(slots_url("nope"), {"date": tomorrow.isoformat()}), 404, "not_found")
    assert_error(anon.get(slots_url("retired"), {"date": tomorrow.isoformat()}), 404, "not_found")
