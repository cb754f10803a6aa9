"""Fixtures for the REST API tests: clients as each kind of caller, and a valid booking body."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bookings.models import Booking
from tests.conftest import local

BOOKINGS = "/api/bookings/"


@pytest.fixture
def anon():
    return APIClient()


def client_with_token(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def asha(db):
    return get_user_model().objects.create_user("asha", "asha@example.com", "asha-secret-pass")


@pytest.fixture
def bala(db):
    return get_user_model().objects.create_user("bala", "bala@example.com", "bala-secret-pass")


@pytest.fixture
def desk(staff_groups):
    """Front desk staff: confirm, complete, cancel unpaid bookings (the group's permissions)."""
    user = get_user_model().objects.create_user("desk", "desk@example.com", "desk-secret-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Front desk"))
    return user


@pytest.fixture
def as_asha(asha):
    return client_with_token(asha)


@pytest.fixture
def as_bala(bala):
    return client_with_token(bala)


@pytest.fixture
def as_staff(desk):
    return client_with_token(desk)


@pytest.fixture
def body(service, tomorrow):
    """A valid POST /api/bookings/ body for `service` at 10:00 tomorrow; keywords replace parts."""

    def make(hour=10, **changes):
        data = {
            "service": service.slug,
            "start": local(tomorrow, hour).isoformat(),
            "customer": {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com"},
            "channels": ["sms", "email"],
            "notes": "Window seat",
        }
        return {**data, **changes}

    return make


@pytest.fixture
def book(body):
    """Book through the API as `client` (anonymous by default); returns the 201 JSON."""

    def make(client=None, hour=10, **changes):
        response = (client or APIClient()).post(BOOKINGS, body(hour, **changes), format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return make


def booking_row(data: dict) -> Booking:
    return Booking.objects.get(pk=data["id"])


def assert_error(response, status: int, code: str, fields: dict | None = None):
    """The error shape every API error has; `fields` (path -> a part of the first message) if given."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()
    assert set(error) == {"code", "detail", "fields"}
    assert error["code"] == code, error
    assert isinstance(error["detail"], str) and error["detail"]
    for path, text in (fields or {}).items():
        assert path in error["fields"], error
        assert text in error["fields"][path][0], error
    return error
