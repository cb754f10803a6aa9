"""Oversell: 50 clients race for the last place of a slot through gunicorn (several
processes, one PostgreSQL), 20 rounds: exactly one winner each round, never two."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
import requests
from django.utils import timezone

from bookings.models import Booking, Slot
from bookings.selectors import business_tz
from bookings.services import booking_create
from tests.conftest import local
from tests.reliability.conftest import figure, gunicorn, needs_postgresql, server_env

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

CLIENTS = 50
ROUNDS = 20


def race(base: str, body: dict, pool: ThreadPoolExecutor) -> Counter:
    """CLIENTS requests released together; their answers as (status, code)."""
    barrier = threading.Barrier(CLIENTS)

    def one(_):
        with requests.Session() as session:
            barrier.wait(timeout=30)
            response = session.post(f"{base}/api/bookings/", json=body, timeout=60)
        return response.status_code, response.json().get("code", "")

    return Counter(pool.map(one, range(CLIENTS)))


def test_fifty_clients_one_last_place_one_winner_every_round(live_server, make_service):
    needs_postgresql()
    service = make_service("yoga-class", capacity=2, hours=[(time(0), time(23))])
    day = timezone.localdate(timezone.now(), business_tz()) + timedelta(days=2)
    server, base = gunicorn(server_env(live_server.url), name="reliability-oversell", workers=4, threads=2)
    server.start()
    outcomes = Counter()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            for hour in range(ROUNDS):
                start = local(day, hour)
                booking_create(service=service, start=start, name="First", phone="+91 98765 00000", channels=[])
                body = {
                    "service": service.slug,
                    "start": start.isoformat(),
                    "customer": {"name": f"Racer {hour}", "phone": "+91 98765 43210"},
                    "channels": ["sms"],
                }
                answers = race(base, body, pool)
                outcomes[answers[(201, "")]] += 1
                assert answers[(201, "")] == 1, answers
                assert answers[(409, "slot_unavailable")] == CLIENTS - 1, answers
                assert Booking.objects.filter(service=service, start=start).count() == 2
                assert Slot.objects.get(service=service, start=start).taken == 2
    finally:
        server.stop()
    figure("oversell", f"{outcomes[1]}/{ROUNDS} rounds with exactly one winner", f"{CLIENTS} clients, gunicorn 4x2")
    assert outcomes == Counter({1: ROUNDS})
