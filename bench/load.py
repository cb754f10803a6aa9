"""The load generator: `python -m bench.load`, one locust process for the whole bench (a
bench.lines.Helper of bench/run.py), which runs locust as a library, one run per command:

    run {"scenario", "users", "seconds", "host", "data", "run"} -> the run's figures

`scenario` picks the one user class that runs; `data` is the JSON file the orchestrator
wrote (slugs, starts, the staff token, ids and checkout answers to use up); `run` (0-99)
goes into every phone number, so that each booking's messages can be found in the
sandbox. Every user waits for nothing between requests: N users are N concurrent
clients. Starting locust once saves the 0.6 s a locust process takes to start, per run.
"""

import itertools
import json
import logging
import random

import gevent
from locust import FastHttpUser, constant_throughput, task
from locust.env import Environment
from locust.exception import StopUser

from bench import lines, phones


class Job:
    """What the current run's users share: its data, and what they created or used up."""

    def __init__(self, scenario: str, data_path: str, run: int):
        with open(data_path) as data:
            self.data = json.load(data)
        self.run, self.numbers, self.created = run, itertools.count(1), []
        self.to_use = list(self.data.get(scenario, {}).get("items", []))


job: Job  # set by run() before any user starts


def customer_body(slug: str) -> dict:
    n, run = next(job.numbers), job.run
    return {
        "service": slug,
        "start": random.choice(job.data["starts"]),
        "customer": {"name": f"Bench {run}-{n}", "phone": phones.phone(run, n), "email": f"b{run}-{n}@example.com"},
        "channels": ["sms", "whatsapp", "email"],
    }


def take():
    if not job.to_use:
        raise StopUser()  # used up: never the same one twice (a repeat takes a shortcut)
    item = job.to_use.pop()
    job.created.append(item)  # reported as used, so that the next run does not take it again
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
        data = job.data
        self.client.get(f"/api/services/{data['slots_service']}/slots/?date={data['slots_date']}", name="slots")


class Booking(Bench):
    @task
    def book(self):
        self.client.post("/api/bookings/", json=customer_body(job.data["free_service"]), name="booking")


class NaiveBooking(Bench):
    """The same booking by the naive path (bench/naive.py), on the baselines' site."""

    @task
    def book(self):
        self.client.post("/bench/naive/bookings/", json=customer_body(job.data["free_service"]), name="booking-naive")


class PacedBooking(Booking):
    """Light load: one booking every half second, to time the outbox when it is not busy."""

    wait_time = constant_throughput(2)


class RazorpayBooking(Bench):
    @task
    def book(self):
        with self.client.post(
            "/api/bookings/razorpay-booking",
            json=customer_body(job.data["paid_service"]),
            name="razorpay-booking",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                job.created.append(response.json()["razorpay"]["order_id"])


class VerifyPayment(Bench):
    @task
    def verify(self):
        self.client.post("/api/bookings/verify-payment", json=take(), name="verify-payment")


class StaffConfirm(Bench):
    @task
    def confirm(self):
        headers = {"Authorization": f"Token {job.data['staff_token']}"}
        self.client.put(f"/api/bookings/{take()}/confirm", headers=headers, name="confirm")


USERS = {
    "floor": Floor,
    "slots": Slots,
    "booking": Booking,
    "booking-naive": NaiveBooking,
    "booking-paced": PacedBooking,
    "razorpay-booking": RazorpayBooking,
    "verify-payment": VerifyPayment,
    "confirm": StaffConfirm,
}


def run(args: dict) -> dict:
    """One run: `users` clients for `seconds` (fractions too, unlike locust's --run-time);
    then, as --stop-timeout does, the users finish their requests in flight."""
    global job
    job = Job(args["scenario"], args["data"], args["run"])
    environment = Environment(user_classes=[USERS[args["scenario"]]], host=args["host"], stop_timeout=30)
    runner = environment.create_local_runner()
    runner.start(args["users"], spawn_rate=args["users"] * 10)
    gevent.sleep(args["seconds"])
    runner.quit()
    total = environment.stats.total
    percentile = lambda q: total.get_response_time_percentile(q) if total.num_requests else None  # noqa: E731
    return {
        "count": total.num_requests,
        "failures": total.num_failures,
        "p50": percentile(0.5),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "rps": total.total_rps,
        "created": job.created,
    }


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    lines.serve({"run": run})
