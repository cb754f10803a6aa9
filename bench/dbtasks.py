"""What the benchmark asks of the database, in the environment of the stack under test
(its settings, database and broker), so that the orchestrator itself never loads Django.

`python -m bench.dbtasks` (a bench.lines.Helper of bench/run.py) sets Django up once, then
answers the orchestrator's commands (bench/lines.py) until it stops.
"""

import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min, Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench import lines, phones  # noqa: E402
from bookings import selectors  # noqa: E402
from bookings.models import Booking, OpeningHours, Service, Slot  # noqa: E402
from notifications import services as outbox  # noqa: E402
from notifications.models import Notification  # noqa: E402

CAPACITY = 30000  # places per start: the load never runs out of them


def _service(slug: str, *, duration: int, closes: dtime, **fields) -> Service:
    service = Service.objects.create(
        slug=slug, name=slug.title(), duration_minutes=duration, price=50000, capacity=CAPACITY, **fields
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(service=service, weekday=day, opens=dtime(0), closes=closes) for day in range(7)
    )
    return service


def migrate(_args) -> None:
    call_command("migrate", interactive=False, verbosity=0)


def seed(args) -> dict:
    """Services with room for any load, a staff token, and a day with `crowd` bookings."""
    free = _service("bench-class", duration=15, closes=dtime(23, 45))
    _service("bench-paid", duration=15, closes=dtime(23, 45), requires_payment=True, auto_confirm_paid=False)
    crowded = _service("bench-slots", duration=5, closes=dtime(23, 55))
    # Staff use a token here: no password, whose hashing would take a core for a good part of a second.
    staff = get_user_model().objects.create_user("bench-staff", password=None, is_staff=True, is_superuser=True)
    today = selectors.local_date(timezone.now())
    starts = [
        start.isoformat()
        for offset in range(2, 60)
        for start in selectors.grid_starts(free, today + timedelta(days=offset))
    ]
    day = today + timedelta(days=3)
    _crowd(crowded, day, args["crowd"])
    return {
        "free_service": "bench-class",
        "paid_service": "bench-paid",
        "slots_service": "bench-slots",
        "slots_date": day.isoformat(),
        "staff_token": Token.objects.create(user=staff).key,
        "starts": starts,
    }


def _crowd(service: Service, day, count: int) -> None:
    """`count` confirmed bookings spread over the day's starts, with their slot counters."""
    starts = selectors.grid_starts(service, day)
    per_start = -(-count // len(starts))
    bookings, taken = [], {}
    for n in range(count):
        start = starts[n // per_start]
        taken[start] = taken.get(start, 0) + 1
        bookings.append(
            Booking(
                reference=f"BK-0{n:05d}",  # unique, unlike 10,000 random ones (0 is never drawn)
                service=service,
                start=start,
                end=start + service.duration,
                customer_name=f"Crowd {n}",
                phone=f"+919700{n:06d}",
                channels=[],
                status=Booking.Status.CONFIRMED,
                amount=service.price,
                currency=service.currency,
            )
        )
    with transaction.atomic():
        Booking.objects.bulk_create(bookings, batch_size=2000)
        Slot.objects.bulk_create(Slot(service=service, start=start, taken=n) for start, n in taken.items())


def pending(args) -> dict:
    """Pending bookings of the given runs (phone prefixes), for staff to confirm."""
    runs = args["runs"]
    ids = Booking.objects.filter(status=Booking.Status.PENDING, service__slug="bench-class")
    ids = [pk for pk, phone in ids.values_list("pk", "phone") if phones.run_of(str(phone)) in runs]
    return {"items": ids}


SET_ASIDE = "bench: the naive baseline's message, not sent"


def set_aside(args) -> dict:
    """The messages of the naive path's runs (`runs`) not sent yet, marked skipped: that path
    is measured for its requests; sending its messages would only time our worker again,
    for a minute of the bench's drain."""
    of_runs = Q()
    for run in args["runs"]:
        of_runs |= Q(booking__phone__startswith=phones.run_prefix(run))
    queued = Notification.objects.filter(of_runs, status=Notification.Status.QUEUED)
    return {"set_aside": queued.update(status=Notification.Status.SKIPPED, last_error=SET_ASIDE)}


def backlog(args) -> dict:
    """`bookings` bookings written at once with their three messages, enqueued as a booking
    enqueues them (one notify per booking); the clock starts before the first enqueue."""
    service = Service.objects.get(slug="bench-class")
    run, count = args["run"], args["bookings"]
    start = datetime.fromisoformat(args["start"])
    with transaction.atomic():
        bookings = Booking.objects.bulk_create(
            Booking(
                reference=f"BK-0{run:02d}{n:04d}",  # unique, unlike random ones (0 is never drawn)
                service=service,
                start=start,
                end=start + service.duration,
                customer_name=f"Backlog {run}-{n}",
                phone=phones.phone(run, n),
                email=f"q{run}-{n}@example.com",
                channels=["sms", "whatsapp", "email"],
                status=Booking.Status.PENDING,
                amount=service.price,
                currency=service.currency,
            )
            for n in range(count)
        )
        rows = Notification.objects.bulk_create(
            Notification(
                booking=booking,
                event=Notification.Event.BOOKING_RECEIVED,
                channel=channel,
                recipient=booking.email if channel == "email" else str(booking.phone),
            )
            for booking in bookings
            for channel in booking.channels
        )
    by_booking: dict[int, list[int]] = {}
    for row in rows:
        by_booking.setdefault(row.booking_id, []).append(row.pk)
    started = time.time()
    for ids in by_booking.values():
        outbox.enqueue(ids)
    return {"started": started, "enqueued_in": time.time() - started, "messages": len(rows)}


def _sandbox_messages(path: str) -> dict[str, tuple[datetime, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sid, created_at, status FROM sandbox_message").fetchall()
    return {sid: (datetime.fromisoformat(created).replace(tzinfo=UTC), status) for sid, created, status in rows}


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def timings(args) -> dict:
    """For the bookings of the given runs: commit -> claim (the send starts), commit -> the
    sandbox recorded it, commit -> all channels sent; and the span from the first booking
    to the last message sent (the rate the whole system sustained, messages included)."""
    runs = set(args["runs"])
    sandbox = _sandbox_messages(args["sandbox_db"])
    rows = Notification.objects.filter(booking__phone__startswith=phones.BENCH)
    if args.get("event"):
        rows = rows.filter(event=args["event"])
    rows = rows.values_list(
        "booking_id", "booking__phone", "booking__created_at", "claimed_at", "sent_at", "provider_message_id", "status"
    )
    claim, receipt, done, created, last_sent = [], [], {}, {}, []
    for booking_id, phone, created_at, claimed_at, sent_at, sid, status in rows:
        if phones.run_of(str(phone)) not in runs:
            continue
        created[booking_id] = created_at
        if claimed_at:
            claim.append((claimed_at - created_at).total_seconds())
        if sid in sandbox:
            receipt.append((sandbox[sid][0] - created_at).total_seconds())
        if status != Notification.Status.SENT or sent_at is None:
            done[booking_id] = None
        elif done.get(booking_id, 0) is not None:
            done[booking_id] = max(done.get(booking_id, 0), (sent_at - created_at).total_seconds())
        if sent_at:
            last_sent.append(sent_at)
    finished = [v for v in done.values() if v is not None]
    span = (max(last_sent) - min(created.values())).total_seconds() if last_sent else None
    return {
        "bookings": len(created),
        "messages": len(claim),
        "commit_to_claim": {"p50": _pct(claim, 50), "p95": _pct(claim, 95)},
        "commit_to_sandbox": {"p50": _pct(receipt, 50), "p95": _pct(receipt, 95)},
        "all_channels_sent": {
            "p50": _pct(finished, 50),
            "p95": _pct(finished, 95),
            "unfinished": len(done) - len(finished),
        },
        "span_seconds": span,
    }


def drain_rate(args) -> dict:
    """Messages of one backlog run: how fast they went out."""
    rows = Notification.objects.filter(booking__phone__startswith=phones.run_prefix(args["run"]))
    agg = rows.aggregate(first=Min("claimed_at"), last=Max("sent_at"), n=Count("id"))
    sent = rows.filter(status=Notification.Status.SENT).count()
    started = datetime.fromtimestamp(args["started"], tz=UTC)
    span = (agg["last"] - started).total_seconds() if agg["last"] else None
    return {"messages": agg["n"], "sent": sent, "seconds": span, "per_second": sent / span if span else None}


def delivered(args) -> dict:
    """Every row of the outbox against the sandbox's own record of what it accepted."""
    sandbox = _sandbox_messages(args["sandbox_db"])
    accepted = {sid for sid, (_, status) in sandbox.items() if status != "refused"}
    rows = list(Notification.objects.values_list("status", "provider_message_id", "last_error"))
    sent_ids = [sid for status, sid, _ in rows if status == Notification.Status.SENT]
    set_aside = sum(1 for status, _, error in rows if status == Notification.Status.SKIPPED and error == SET_ASIDE)
    return {
        "outbox_rows": len(rows),
        "sent": len(sent_ids),
        "set_aside": set_aside,
        "not_sent": len(rows) - len(sent_ids) - set_aside,
        "sandbox_accepted": len(accepted),
        "sent_and_in_sandbox": len(set(sent_ids) & accepted),
        "sent_twice": len(sent_ids) - len(set(sent_ids)),
        "sandbox_without_row": len(accepted - set(sent_ids)),
    }


def slots_check(args) -> dict:
    """free_slots of the crowded day, in this process: time and queries (`repeat` times),
    against a day without bookings (the number of queries must not depend on them)."""
    service = selectors.service_get(slug="bench-slots")
    crowded = datetime.fromisoformat(_crowded_day()).date()
    empty = crowded + timedelta(days=1)
    result = {"bookings_that_day": Booking.objects.filter(service=service).count()}
    for label, day in (("crowded", crowded), ("empty", empty)):
        service = selectors.service_get(slug="bench-slots")  # fresh: no prefetch cache carried over
        with CaptureQueriesContext(connection) as queries:
            selectors.day_free_slots(service, day)
        times = []
        for _ in range(args["repeat"]):
            service = selectors.service_get(slug="bench-slots")
            began = time.perf_counter()
            selectors.day_free_slots(service, day)
            times.append((time.perf_counter() - began) * 1000)
        result[label] = {"queries": len(queries), "ms_p50": statistics.median(times), "ms_max": max(times)}
    return result


def _crowded_day() -> str:
    start = Booking.objects.filter(service__slug="bench-slots").order_by("start").values_list("start", flat=True)[0]
    return datetime.combine(selectors.local_date(start), dtime()).isoformat()


COMMANDS = {
    "migrate": migrate,
    "seed": seed,
    "pending": pending,
    "set_aside": set_aside,
    "backlog": backlog,
    "timings": timings,
    "drain_rate": drain_rate,
    "delivered": delivered,
    "slots_check": slots_check,
}


if __name__ == "__main__":
    lines.serve(COMMANDS, after=close_old_connections)  # as after a request: a broken session is not kept
