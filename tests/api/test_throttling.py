"""Booking and login are throttled per client (rates from settings); reads are not."""

import pytest

from tests.api.conftest import BOOKINGS, assert_error

TOKEN = "/api/auth/token/"


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
        }

    return set_rates


def test_booking_creation_is_throttled_per_client(anon, body, rates):
    rates(booking_create="2/min")
    assert anon.post(BOOKINGS, body(10), format="json").status_code == 201
    assert anon.post(BOOKINGS, body(11), format="json").status_code == 201

    response = anon.post(BOOKINGS, body(12), format="json")

    error = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert "seconds" in error["detail"]
    # Another client (address) is counted apart, and reading is not throttled.
    assert anon.post(BOOKINGS, body(12), format="json", REMOTE_ADDR="10.0.0.7").status_code == 201
    assert anon.get("/api/services/").status_code == 200


def test_logged_in_customers_are_counted_by_account(as_asha, as_bala, body, rates):
    rates(booking_create="1/min")
    assert as_asha.post(BOOKINGS, body(10), format="json").status_code == 201
    assert_error(as_asha.post(BOOKINGS, body(11), format="json"), 429, "throttled")
    assert as_bala.post(BOOKINGS, body(11), format="json").status_code == 201


def test_the_token_endpoint_is_throttled(anon, asha, rates):
    rates(auth_token="3/min")
    for _ in range(3):
        assert_error(
            anon.post(TOKEN, {"username": "asha", "password": "guess"}, format="json"), 400, "invalid_credentials"
        )
    response = anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"}, format="json")
    assert_error(response, 429, "throttled")


def test_a_rate_of_none_turns_throttling_off(anon, body, rates):
    rates(booking_create=None)
    for hour in range(9, 17):
        assert anon.post(BOOKINGS, body(hour), format="json").status_code == 201
