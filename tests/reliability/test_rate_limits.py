"""Rate limits: booking creation and the token endpoint throttle (429 with Retry-After)
and recover once the window has passed, without anything being reset."""

import time

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import BOOKINGS, assert_error, body  # noqa: F401  (a valid booking body)
from tests.api.test_throttling import TOKEN, rates  # noqa: F401  (the rates fixture)


@pytest.fixture
def clock(monkeypatch):
    """DRF's throttle clock, moved on by the test."""
    now = [time.time()]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    return now


@pytest.mark.django_db
def test_booking_creation_throttles_then_recovers(anon, body, rates, clock):  # noqa: F811
    rates(booking_create="3/min")
    for hour in (9, 10, 11):
        assert anon.post(BOOKINGS, body(hour), format="json").status_code == 201
    for _ in range(5):
        refused = anon.post(BOOKINGS, body(12), format="json")
        assert_error(refused, 429, "throttled")
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    clock[0] += wait + 1
    assert anon.post(BOOKINGS, body(12), format="json").status_code == 201


@pytest.mark.django_db
def test_the_token_endpoint_throttles_then_recovers(anon, asha, rates, clock):  # noqa: F811
    rates(auth_token="3/min")
    login = {"username": "asha", "password": "asha-secret-pass"}
    for _ in range(3):
        assert anon.post(TOKEN, {**login, "password": "guess"}, format="json").status_code == 400
    refused = anon.post(TOKEN, login, format="json")  # even the right password waits
    assert_error(refused, 429, "throttled")
    clock[0] += int(refused["Retry-After"]) + 1
    response = anon.post(TOKEN, login, format="json")
    assert response.status_code == 200 and response.json()["token"]


@pytest.fixture
def anon():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def asha(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("asha", "asha@example.com", "asha-secret-pass")
