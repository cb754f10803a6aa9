"""Reads: the slot grid of a service and the free starts of a day.

Starts are computed in the business time zone from the weekly opening hours,
then handled as absolute (UTC) instants: a start is open+k*duration in real
time, so a day with a DST change has as many starts as it has real hours.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import Booking, Closure, Service, Slot
from .states import CANCELLABLE


@dataclass(frozen=True)
class FreeSlot:
    start: datetime  # aware, in the business time zone
    end: datetime
    places_left: int


def business_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(moment: datetime) -> date:
    return moment.astimezone(business_tz()).date()


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=business_tz())


def opening_intervals(service: Service, day: date) -> list[tuple[datetime, datetime]]:
    """Open periods of the day as aware instants; uses prefetched hours when present."""
    return [
        (_local(day, hours.opens), _local(day, hours.closes))
        for hours in service.opening_hours.all()
        if hours.weekday == day.weekday()
    ]


def is_closed(service: Service, day: date) -> bool:
    return Closure.objects.filter(
        Q(service__isnull=True) | Q(service=service), starts_on__lte=day, ends_on__gte=day
    ).exists()


def grid_starts(service: Service, day: date) -> list[datetime]:
    """Every start of the service that day by its opening hours, ignoring closures and bookings."""
    starts = []
    for opens, closes in opening_intervals(service, day):
        start, end = opens.astimezone(UTC), closes.astimezone(UTC)
        while start + service.duration <= end:
            starts.append(start)
            start += service.duration
    return sorted(starts)


def earliest_bookable(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now + timedelta(minutes=settings.BOOKING_MIN_LEAD_MINUTES)


def last_bookable_day(now: datetime | None = None) -> date:
    return local_date(now or timezone.now()) + timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD)


def places_taken(service: Service, starts: list[datetime], now: datetime) -> dict[datetime, int]:
    """Places held per start: the slot counters, less unpaid holds that have lapsed
    but that the expiry task has not reached yet (they are free to take)."""
    if not starts:
        return {}
    span = {"start__gte": starts[0], "start__lte": starts[-1]}
    taken = dict(Slot.objects.filter(service=service, **span).values_list("start", "taken"))
    lapsed = (
        Booking.objects.filter(
            service=service, status=Booking.Status.AWAITING_PAYMENT, hold_expires_at__lte=now, **span
        )
        .values("start")
        .annotate(n=Count("id"))
        .values_list("start", "n")
    )
    for start, n in lapsed:
        taken[start] = taken.get(start, 0) - n
    return taken


def free_slots(service: Service, day: date, *, now: datetime | None = None) -> list[FreeSlot]:
    """The starts of `day` a customer can still book, with the places left at each."""
    now = now or timezone.now()
    if day > last_bookable_day(now) or is_closed(service, day):
        return []
    earliest = earliest_bookable(now)
    starts = [start for start in grid_starts(service, day) if start >= earliest]
    taken = places_taken(service, starts, now)
    tz = business_tz()
    slots = []
    for start in starts:
        left = service.capacity - taken.get(start, 0)
        if left > 0:
            slots.append(FreeSlot(start.astimezone(tz), (start + service.duration).astimezone(tz), left))
    return slots


def start_problem(service: Service, start: datetime, *, now: datetime | None = None) -> str | None:
    """Why `start` cannot be booked for `service` regardless of places left, or None."""
    now = now or timezone.now()
    if timezone.is_naive(start):
        return "Give the time with its UTC offset, e.g. 2026-12-05T10:00:00+05:30."
    if start < now:
        return "This time has already passed."
    if start < earliest_bookable(now):
        return f"Book at least {settings.BOOKING_MIN_LEAD_MINUTES} minutes ahead."
    day = local_date(start)
    if day > last_bookable_day(now):
        return f"Bookings open {settings.BOOKING_MAX_DAYS_AHEAD} days ahead."
    if is_closed(service, day):
        return "We are closed on that day."
    if start in grid_starts(service, day):
        return None
    end = start + service.duration
    if not any(opens <= start and end <= closes for opens, closes in opening_intervals(service, day)):
        return "That time is outside opening hours."
    return f"Appointments start every {service.duration_minutes} minutes from opening time."


def nearest_free_slots(service: Service, start: datetime, *, limit: int = 3) -> list[FreeSlot]:
    """Free starts of the same day, nearest to `start` first: what to offer when it is taken."""
    slots = free_slots(service, local_date(start))
    return sorted(slots, key=lambda slot: abs(slot.start - start))[:limit]


def customer_can_cancel(booking: Booking, *, now: datetime | None = None) -> bool:
    """The cancellation policy for customers (staff may cancel any cancellable booking)."""
    now = now or timezone.now()
    window = timedelta(hours=settings.BOOKING_CANCEL_WINDOW_HOURS)
    return booking.status in CANCELLABLE and now <= booking.start - window
