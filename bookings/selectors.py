"""Reads: the slot grid of a service and the free starts of a day.

Starts are computed in the business time zone from the weekly opening hours,
then handled as absolute (UTC) instants: a start is open+k*duration in real
time, so a day with a DST change has as many starts as it has real hours.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from . import catalog
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
    """Uses the closures the catalog keeps with a service when it has them."""
    known = getattr(service, "known_closures", None)
    closed = known.closed_on(day) if known is not None else None
    if closed is not None:
        return closed
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


# --- Reads for the REST API ---------------------------------------------------------


def service_list():
    """Services customers can book, by name."""
    return Service.objects.filter(is_active=True).order_by("name", "id")


def service_get(*, slug: str, include_inactive: bool = False) -> Service | None:
    """From the catalog this process keeps: shared, read-only."""
    service = catalog.service(slug)
    return service if service is not None and (include_inactive or service.is_active) else None


def day_free_slots(service: Service, day: date, *, now: datetime | None = None) -> list[FreeSlot]:
    """free_slots for any calendar day a client may ask about: days already gone have none
    (and are not computed, so that the first years of the calendar cannot overflow)."""
    now = now or timezone.now()
    if day < local_date(now):
        return []
    return free_slots(service, day, now=now)


def _day_start(day: date) -> datetime | None:
    """Midnight of `day` in the business time zone; None beyond what datetimes can hold."""
    try:
        return _local(day, time()).astimezone(UTC)
    except OverflowError:
        return None


def booking_list(
    *,
    user,
    status: str | None = None,
    service: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """Bookings `user` may see (staff: all, customers: their own), filtered; the local
    dates are days of the start in the business time zone, both ends included."""
    bookings = Booking.objects.select_related("service")
    if not user.is_staff:
        bookings = bookings.filter(user=user)
    if status:
        bookings = bookings.filter(status=status)
    if service:
        bookings = bookings.filter(service__slug=service)
    if date_from and (lower := _day_start(date_from)):
        bookings = bookings.filter(start__gte=lower)
    if date_to and date_to < date.max and (upper := _day_start(date_to + timedelta(days=1))):
        bookings = bookings.filter(start__lt=upper)
    return bookings.order_by("start", "id")


def booking_get_for(*, booking_id: int, user, access_token: str = "", lock: bool = False) -> Booking | None:
    """The booking if `user` or the holder of `access_token` may see it, else None.

    Staff see every booking, a customer their own, and a booking's access token
    (given to whoever booked it) opens that booking alone. `lock`: read under the
    booking's row lock (not its service's), which the caller's transaction keeps.
    """
    bookings = Booking.objects.select_related("service")
    if lock:
        bookings = bookings.select_for_update(of=("self",))
    booking = bookings.filter(pk=booking_id).first()
    if booking is None:
        return None
    if user.is_authenticated and (user.is_staff or booking.user_id == user.pk):
        return booking
    given = access_token.encode("utf-8", "replace")
    if given and secrets.compare_digest(given, booking.access_token.encode()):
        return booking
    return None


def status_url(booking: Booking) -> str:
    """The customer's secret link to their booking, put in every message."""
    return f"{settings.SITE_URL.rstrip('/')}/b/{booking.reference}/{booking.access_token}/"


def is_paid(booking: Booking) -> bool:
    """Whether the booking was paid online: its history has the "paid" move of the state
    machine (out of awaiting payment, or out of expired for a late payment)."""
    return booking.events.filter(
        from_status__in=[Booking.Status.AWAITING_PAYMENT, Booking.Status.EXPIRED],
        to_status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED],
    ).exists()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Where a local day starts and ends: midnights by the calendar, so a DST day has its length."""
    return _local(day, time.min), _local(day + timedelta(days=1), time.min)


def todays_bookings():
    """Bookings starting today (business time zone) that hold their place."""
    start, end = day_bounds(local_date(timezone.now()))
    return Booking.objects.filter(start__gte=start, start__lt=end).exclude(
        status__in=[Booking.Status.CANCELLED, Booking.Status.EXPIRED]
    )
