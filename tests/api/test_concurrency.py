"""Racing clients over real HTTP: the database, not Python, decides who gets the last place,
and which of two requests with the same Idempotency-Key books.

The race is real on PostgreSQL (row locks, READ COMMITTED); on SQLite the writers queue for
the database lock, and the same answers are expected."""

import threading
import uuid
from collections import Counter

import pytest
import requests

from bookings.models import Booking, IdempotencyKey, Slot
from bookings.services import booking_create
from tests.conftest import local

RACERS = 20


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"booking_create": None, "auth_token": None},
    }


def race(url: str, bodies: list[dict], headers: dict | None = None) -> list[tuple[int, dict]]:
    """POST every body at the same moment, one thread each; the (status, JSON) answers."""
    barrier = threading.Barrier(len(bodies))
    answers, crashes = [], []

    def run(body):
        try:
            with requests.Session() as session:
                barrier.wait()
                response = session.post(url, json=body, headers=headers, timeout=60)
            answers.append((response.status_code, response.json()))
        except Exception as error:
            crashes.append(error)

    threads = [threading.Thread(target=run, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert crashes == []
    return answers


def racer_body(service, start, n: int) -> dict:
    return {
        "service": service.slug,
        "start": start.isoformat(),
        "customer": {"name": f"Racer {n}", "phone": "+91 98765 43210"},
        "channels": ["sms"],
    }


@pytest.mark.django_db(transaction=True)
def test_twenty_clients_racing_for_the_last_place_make_one_booking(
    live_server, unthrottled, make_service, tomorrow, customer
):
    service = make_service(capacity=3)
    start = local(tomorrow, 10)
    for _ in range(2):
        booking_create(service=service, start=start, **customer)

    answers = race(f"{live_server.url}/api/bookings/", [racer_body(service, start, n) for n in range(RACERS)])

    assert Counter(status for status, _ in answers) == {201: 1, 409: RACERS - 1}
    assert {body["code"] for status, body in answers if status == 409} == {"slot_unavailable"}
    assert Booking.objects.filter(service=service, start=start).count() == 3
    assert Slot.objects.get(service=service, start=start).taken == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_idempotency_key_book_once(live_server, unthrottled, service, tomorrow):
    body = racer_body(service, local(tomorrow, 10), 0)

    answers = race(f"{live_server.url}/api/bookings/", [body] * 10, headers={"Idempotency-Key": str(uuid.uuid4())})

    # One request books; each of the others saw it finished (the same 201) or still running (409).
    booked = {body["id"] for status, body in answers if status == 201}
    assert len(booked) == 1
    assert {body["code"] for status, body in answers if status != 201} <= {"idempotency_key_in_progress"}
    assert Booking.objects.count() == 1
    assert IdempotencyKey.objects.get().response_body["id"] == booked.pop()
