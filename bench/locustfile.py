"""The load of one benchmark run, for `locust --headless` (started by bench/run.py).

BENCH_SCENARIO picks the one user class that runs; BENCH_DATA is the JSON file the
orchestrator wrote (slugs, starts, the staff token, ids and checkout answers to use up);
BENCH_RUN (0-99) goes into every phone number, so that each booking's messages can be
found in the sandbox; BENCH_SECONDS is how long the run lasts (fractions too, unlike
locust's --run-time); BENCH_OUT, if set, receives what the run created (order ids), and
BENCH_STATS the run's figures.
Every user waits for nothing between requests: N users are N concurrent clients.
"""

import itertools
import json
import os
import random

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.exception import StopUser

SCENARIO = os.environ.get("BENCH_SCENARIO", "floor")
DATA = json.loads(open(os.environ["BENCH_DATA"]).read()) if os.environ.get("BENCH_DATA") else {}  # noqa: SIM115
RUN = int(os.environ.get("BENCH_RUN", "0"))
_numbers = itertools.count(1)
_created: list[str] = []
_to_use = list(DATA.get(SCENARIO, {}).get("items", []))


def customer_body(slug: str) -> dict:
    n = next(_numbers)
    return {
        "service": slug,
        "start": random.choice(DATA["starts"]),
        "customer": {"name": f"Bench {RUN}-{n}", "phone": f"+9198{RUN:02d}{n:06d}", "email": f"b{RUN}-{n}@example.com"},
        "channels": ["sms", "whatsapp", "email"],
    }


def take():
    if not _to_use:
        raise StopUser()  # used up: never the same one twice (a repeat takes a shortcut)
    item = _to_use.pop()
    _created.append(item)  # reported as used, so that the next run does not take it again
    return item


class Bench(FastHttpUser):
    abstract = True
    connection_timeout = 60.0
    network_timeout = 60.0


class Floor(Bench):
    @task
    def healthz(self):
        self.client.get("/healthz", name="floor")


class Slots(Bench):
    @task
    def slots(self):
        self.client.get(f"/api/services/{DATA['slots_service']}/slots/?date={DATA['slots_date']}", name="slots")


class Booking(Bench):
    @task
    def book(self):
        self.client.post("/api/bookings/", json=customer_body(DATA["free_service"]), name="booking")


class PacedBooking(Booking):
    """Light load: one booking every half second, to time the outbox when it is not busy."""

    wait_time = constant_throughput(2)


class RazorpayBooking(Bench):
    @task
    def book(self):
        with self.client.post(
            "/api/bookings/razorpay-booking",
            json=customer_body(DATA["paid_service"]),
            name="razorpay-booking",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                _created.append(response.json()["razorpay"]["order_id"])


class VerifyPayment(Bench):
    @task
    def verify(self):
        self.client.post("/api/bookings/verify-payment", json=take(), name="verify-payment")


class StaffConfirm(Bench):
    @task
    def confirm(self):
        headers = {"Authorization": f"Token {DATA['staff_token']}"}
        self.client.put(f"/api/bookings/{take()}/confirm", headers=headers, name="confirm")


USERS = {
    "floor": Floor,
    "slots": Slots,
    "booking": Booking,
    "booking-paced": PacedBooking,
    "razorpay-booking": RazorpayBooking,
    "verify-payment": VerifyPayment,
    "confirm": StaffConfirm,
}
# locust runs every User class it finds in this module: keep only the chosen one.
for _name, _cls in USERS.items():
    if _name != SCENARIO:
        del globals()[_cls.__name__]
del _name, _cls


@events.test_start.add_listener
def _stop_in_time(environment, **kwargs):
    """As --run-time does, in any fraction of a second: the users finish their requests
    in flight (--stop-timeout), then locust quits."""
    gevent.spawn_later(float(os.environ.get("BENCH_SECONDS", "5")), environment.runner.quit)


@events.test_stop.add_listener
def _write_created(**kwargs):
    if os.environ.get("BENCH_OUT"):
        with open(os.environ["BENCH_OUT"], "a") as out:
            out.writelines(f"{json.dumps(item)}\n" for item in _created)


@events.quitting.add_listener
def _write_stats(environment, **kwargs):
    """The figures of the whole run, once it is over. (locust's --csv files are rewritten
    once a second, not at the end: a run of a second or two could leave them empty.)"""
    if os.environ.get("BENCH_STATS"):
        total = environment.runner.stats.total
        percentile = lambda q: total.get_response_time_percentile(q) if total.num_requests else None  # noqa: E731
        figures = {
            "count": total.num_requests,
            "failures": total.num_failures,
            "p50": percentile(0.5),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
            "rps": total.total_rps,
        }
        with open(os.environ["BENCH_STATS"], "w") as out:
            json.dump(figures, out)
