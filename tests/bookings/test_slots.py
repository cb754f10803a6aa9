"""Free starts of a day: opening hours, closures, lead time, full slots, DST."""

from datetime import UTC, date, time, timedelta

import pytest
from django.test import override_settings

from bookings.models import Closure, OpeningHours
from bookings.selectors import free_slots, grid_starts
from bookings.services import booking_create
from tests.conftest import local


def starts(slots):
    return [slot.start.strftime("%H:%M") for slot in slots]


def test_starts_follow_opening_hours_on_the_duration_grid(make_service, tomorrow):
    service = make_service(duration_minutes=90, hours=[(time(9), time(13)), (time(14), time(17))])
    assert starts(free_slots(service, tomorrow)) == ["09:00", "10:30", "14:00", "15:30"]


def test_each_start_reports_its_places_left_and_end(make_service, tomorrow, customer):
    service = make_service(capacity=3)
    booking_create(service=service, start=local(tomorrow, 10), **customer)
    slots = {slot.start.strftime("%H:%M"): slot for slot in free_slots(service, tomorrow)}
    assert slots["09:00"].places_left == 3
    assert slots["10:00"].places_left == 2
    assert slots["10:00"].end == local(tomorrow, 11)


def test_full_starts_are_left_out(service, tomorrow, customer):
    booking_create(service=service, start=local(tomorrow, 11), **customer)
    assert "11:00" not in starts(free_slots(service, tomorrow))
    assert "12:00" in starts(free_slots(service, tomorrow))


def test_a_cancelled_booking_gives_its_place_back(service, tomorrow, customer):
    from bookings.services import transition

    booking = booking_create(service=service, start=local(tomorrow, 11), **customer)
    transition(booking, "cancelled")
    assert "11:00" in starts(free_slots(service, tomorrow))


def test_no_starts_on_a_day_without_hours(make_service, tomorrow):
    service = make_service()
    OpeningHours.objects.filter(service=service, weekday=tomorrow.weekday()).delete()
    assert free_slots(service, tomorrow) == []
    assert free_slots(service, tomorrow + timedelta(days=1)) != []


@pytest.mark.parametrize("whole_business", [True, False])
def test_closures_remove_whole_days(service, tomorrow, whole_business):
    Closure.objects.create(
        service=None if whole_business else service, starts_on=tomorrow, ends_on=tomorrow + timedelta(days=1)
    )
    assert free_slots(service, tomorrow) == []
    assert free_slots(service, tomorrow + timedelta(days=1)) == []
    assert free_slots(service, tomorrow + timedelta(days=2)) != []


def test_another_services_closure_changes_nothing(make_service, tomorrow):
    service, other = make_service("massage"), make_service("facial")
    Closure.objects.create(service=other, starts_on=tomorrow, ends_on=tomorrow)
    assert len(free_slots(service, tomorrow)) == 8


@override_settings(BOOKING_MIN_LEAD_MINUTES=60)
def test_past_starts_and_the_lead_time_are_left_out(service, tomorrow):
    now = local(tomorrow, 11, 30)
    # 11:00 has passed, 12:00 is inside the hour of lead time, 13:00 is the first bookable.
    assert starts(free_slots(service, tomorrow, now=now)) == ["13:00", "14:00", "15:00", "16:00"]


@override_settings(BOOKING_MAX_DAYS_AHEAD=10)
def test_days_beyond_the_booking_horizon_have_no_starts(service, tomorrow):
    assert free_slots(service, tomorrow + timedelta(days=9)) != []
    assert free_slots(service, tomorrow + timedelta(days=10)) == []


class TestDaylightSavingTime:
    """London moves its clocks on 28 March and 31 October 2027."""

    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)

    @pytest.fixture(autouse=True)
    def london(self, settings):
        settings.TIME_ZONE = "Europe/London"

    def test_the_offset_changes_with_the_season(self, service):
        winter = grid_starts(service, self.spring - timedelta(days=1))
        summer = grid_starts(service, self.spring)
        assert winter[0].hour == 9  # 09:00 GMT is 09:00 UTC
        assert summer[0].hour == 8  # 09:00 BST is 08:00 UTC
        assert len(winter) == len(summer) == 8

    def test_spring_forward_night_has_one_start_less(self, make_service):
        service = make_service(hours=[(time(0), time(4))])
        slots = free_slots(service, self.spring, now=local(self.spring - timedelta(days=3), 12))
        assert starts(slots) == ["00:00", "02:00", "03:00"]  # 01:00 never happens that night
        # Real durations: subtracting in UTC, since same-zone arithmetic is wall-clock.
        assert [slot.end.astimezone(UTC) - slot.start.astimezone(UTC) for slot in slots] == [timedelta(hours=1)] * 3

    def test_fall_back_night_has_one_start_more(self, make_service):
        service = make_service(hours=[(time(0), time(4))])
        slots = free_slots(service, self.autumn, now=local(self.autumn - timedelta(days=3), 12))
        assert starts(slots) == ["00:00", "01:00", "01:00", "02:00", "03:00"]
        assert [slot.start.utcoffset() for slot in slots[1:3]] == [timedelta(hours=1), timedelta(0)]
