"""Profile one API request in-process with pyinstrument, on the bench database that the last
`make bench` left behind, with the production settings the bench uses:

    python -m bench.profile_request booking|slots|floor|verify-payment|confirm|deliver [--count 300]

It prints where the time of `count` requests went (after 20 unmeasured ones) and the
queries of one request. Only the site's own code runs here: no gunicorn, no worker; for
verify-payment, the standalone sandbox (Razorpay's orders, checkout and payments); confirm
is staff confirming new bookings with the bench's staff token.
`deliver` is the worker's part instead: one booking's three messages sent (the task's
body, without django-q2 around it) to the sandbox answering at once.
"""

import argparse
import json
import os
import sqlite3
import sys
import time

import psutil

from bench import phones, stack


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["booking", "slots", "floor", "verify-payment", "confirm", "deliver"])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--database", default="bookings_bench")
    parser.add_argument("--redis", default="", help="the Redis broker and cache at this URL (redis://...)")
    parser.add_argument("--no-profile", action="store_true", help="only the timings and the queries")
    args = parser.parse_args()
    ports = stack.Ports()  # the sandbox listens there for verify-payment; the others do not call it
    database_url = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env = stack.production_env(ports, database_url, redis_url=args.redis, q_workers=1)
    os.environ.update(env)
    uses_sandbox = args.scenario in ("verify-payment", "deliver")
    bench_sandbox_db = stack.VAR / f"sandbox-{args.database}.sqlite3"
    made_by_bench = [stack.VAR / f"data-{args.database}.json", *([bench_sandbox_db] if uses_sandbox else [])]
    if missing := [str(path) for path in made_by_bench if not path.exists()]:
        sys.exit(f"{', '.join(missing)}: not found; `make bench` (in this checkout) makes them")
    if uses_sandbox:
        sandbox_db = stack.VAR / "sandbox-profile.sqlite3"
        for stale in (sandbox_db, sandbox_db.with_name(sandbox_db.name + "-wal")):
            stale.unlink(missing_ok=True)
        # SQLite's backup, not a file copy: the latest writes may still be in the -wal file
        source, copy = sqlite3.connect(bench_sandbox_db), sqlite3.connect(sandbox_db)
        source.backup(copy)
        source.close()
        copy.close()
        sandbox = stack.sandbox(ports, stack.sandbox_env(ports, sandbox_db))
        try:
            return profile(args, ports)
        finally:
            sandbox.stop()
    return profile(args, ports)


def profile(args, ports) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    data = json.loads((stack.VAR / f"data-{args.database}.json").read_text())
    client = Client(HTTP_HOST="127.0.0.1")
    numbers = iter(range(10**6))
    paid = iter(_paid_orders(client, data, 20 + 2 * args.count + 1, ports) if args.scenario == "verify-payment" else [])
    unsent = _unsent(client, data, 20 + 2 * args.count + 1) if args.scenario == "deliver" else []
    batches = iter(unsent)
    pending = iter(_booked(client, data, 20 + 2 * args.count + 1, run=95) if args.scenario == "confirm" else [])
    staff = {"HTTP_AUTHORIZATION": f"Token {data['staff_token']}"}

    def request() -> int:
        """The status code."""
        if args.scenario == "deliver":
            from notifications.services import deliver_batch

            deliver_batch(next(batches))
            return 200  # checked below, on the rows
        if args.scenario == "verify-payment":
            response = client.post("/api/bookings/verify-payment", next(paid), content_type="application/json")
        elif args.scenario == "confirm":
            response = client.put(f"/api/bookings/{next(pending)}/confirm", **staff)
        elif args.scenario == "floor":
            response = client.get("/healthz")
        elif args.scenario == "slots":
            response = client.get(f"/api/services/{data['slots_service']}/slots/?date={data['slots_date']}")
        else:
            body = _booking_body(data, data["free_service"], next(numbers), run=99)
            response = client.post("/api/bookings/", body, content_type="application/json")
        return response.status_code

    for _ in range(20):
        assert request() in (200, 201)
    if unsent:
        from notifications.models import Notification

        first = [pk for batch in unsent[:20] for pk in batch]
        assert not Notification.objects.filter(pk__in=first).exclude(status="sent").exists(), "not sent"
    queries = []  # not CaptureQueriesContext: request_started empties the query log it reads

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        request()
    with connection.cursor() as cursor:  # the database session's own process, for its CPU
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])
    began, cpu, db_cpu = time.perf_counter(), time.process_time(), sum(backend.cpu_times()[:2])
    for _ in range(args.count):
        request()
    wall = (time.perf_counter() - began) / args.count * 1000
    cpu = (time.process_time() - cpu) / args.count * 1000
    db_cpu = (sum(backend.cpu_times()[:2]) - db_cpu) / args.count * 1000
    print(f"{args.scenario}: {wall:.2f} ms per request in-process, CPU {cpu:.2f} ms here + {db_cpu:.2f} ms database")
    print(f"{len(queries)} queries:")
    for sql in queries:
        print("  ", sql[:160])
    if args.no_profile:
        return 0
    began = time.perf_counter()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.count):
            request()
    per = (time.perf_counter() - began) / args.count * 1000
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{per:.2f} ms per request profiled")
    return 0


def _booking_body(data: dict, service: str, n: int, *, run: int) -> dict:
    """The n-th booking, marked as run `run`'s (95-99: above the bench's own runs)."""
    return {
        "service": service,
        "start": data["starts"][n % len(data["starts"])],
        "customer": {"name": f"Profile {n}", "phone": phones.phone(run, n), "email": f"p{n}@example.com"},
        "channels": ["sms", "whatsapp", "email"],
    }


def _booked(client, data: dict, count: int, *, run: int) -> list[int]:
    """The ids of `count` new bookings (pending: the free service's wait for staff)."""
    created = []
    for n in range(count):
        body = _booking_body(data, data["free_service"], n, run=run)
        created.append(client.post("/api/bookings/", body, content_type="application/json").json()["id"])
    return created


def _unsent(client, data: dict, count: int) -> list[list[int]]:
    """The outbox rows of `count` new bookings, one list per booking."""
    from notifications.models import Notification

    created = _booked(client, data, count, run=96)
    rows = Notification.objects.filter(booking__in=created).order_by("pk").values_list("booking", "pk")
    by_booking = {}
    for booking, pk in rows:
        by_booking.setdefault(booking, []).append(pk)
    return list(by_booking.values())


def _paid_orders(client, data: dict, count: int, ports) -> list[dict]:
    """`count` Razorpay bookings paid in the sandbox's checkout: what the app posts to verify-payment."""
    answers = []
    for n in range(count):
        body = _booking_body(data, data["paid_service"], n, run=97)
        order = client.post("/api/bookings/razorpay-booking", body, content_type="application/json")
        answers.append(stack.pay_in_checkout(ports, order.json()["razorpay"]["order_id"]))
    return answers


if __name__ == "__main__":
    sys.exit(main())
