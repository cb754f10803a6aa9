"""Property-based tests of the whole API from its OpenAPI schema (schemathesis): for
generated requests, valid and not, no 5xx and no response that breaks the schema.

The app is called in-process through WSGI. Cases are steered, half the time, onto a real
service and booking, so that slots, reads and the state changes run past the 404s."""

from dataclasses import dataclass
from datetime import time

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from bookings.services import booking_create
from tests.conftest import local

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@dataclass
class World:
    slug: str
    booking_id: int
    access_token: str
    staff_token: str


@pytest.fixture
def world(transactional_db, staff_groups, make_service, tomorrow, django_user_model, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"booking_create": None, "auth_token": None},
    }
    settings.PAYMENT_GATEWAY = "tests.payments.gateways.OfflineOrdersGateway"  # razorpay-booking needs no server
    service = make_service("yoga-class", capacity=50, hours=[(time(0), time(23))])
    booking = booking_create(service=service, start=local(tomorrow, 7), name="Asha", phone="+91 98765 43210")
    staff = django_user_model.objects.create_user("desk", password="desk-secret-pass", is_staff=True)
    staff.groups.add(Group.objects.get(name="Front desk"))
    return World(service.slug, booking.pk, booking.access_token, Token.objects.create(user=staff).key)


# Loaded from the app when the module is collected: the schema view needs no database.
# (Not schemathesis.pytest.from_fixture: its lazy loader uses a pytest attribute that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


def steer(case, world: World) -> dict:
    """Point some cases at the real service and booking; the headers to send."""
    headers = {}
    params = case.path_parameters or {}
    slug, ident = params.get("slug"), params.get("id")
    if isinstance(slug, str) and len(slug) % 2 == 0:
        params["slug"] = world.slug
    if isinstance(ident, int) and ident % 2 == 0:
        params["id"] = world.booking_id
        headers["X-Booking-Token"] = world.access_token
    # Staff for the staff operations and the list, but not always: their 401s are answers too.
    needs_staff = case.method == "PUT" or (case.method == "GET" and case.path == "/api/bookings/")
    if needs_staff and not (isinstance(ident, int) and ident % 3 == 1):
        headers["Authorization"] = f"Token {world.staff_token}"
    return headers


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same cases every run
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_within_its_schema(case, world):
    case.call_and_validate(headers=steer(case, world), checks=CHECKS)


def test_a_whole_journey_answers_within_the_schema(world, make_service, tomorrow):
    """The answers fuzzing seldom reaches (201, the staff moves, the 409s, 422) conform too."""
    booking = {
        "service": world.slug,
        "start": local(tomorrow, 9).isoformat(),
        "customer": {"name": "Ravi", "phone": "+91 91234 56789", "email": "ravi@example.com"},
        "channels": ["sms", "email"],
    }
    staff = {"Authorization": f"Token {world.staff_token}"}
    key = {"Idempotency-Key": "journey-1"}

    def call(path, method, expected, headers=None, **case):
        response = schema[path][method].Case(**case).call_and_validate(headers=headers or {}, checks=CHECKS)
        assert response.status_code == expected, response.text
        return response.json()

    day = {"slug": world.slug}
    assert call("/api/services/{slug}/slots/", "GET", 200, path_parameters=day, query={"date": str(tomorrow)})["slots"]
    made = call("/api/bookings/", "POST", 201, key, body=booking)
    assert call("/api/bookings/", "POST", 201, key, body=booking)["id"] == made["id"]
    call("/api/bookings/", "POST", 422, key, body={**booking, "notes": "changed"})
    call("/api/bookings/", "POST", 400, body={**booking, "service": "no-such-service"})
    one = {"id": made["id"]}
    call("/api/bookings/{id}/", "GET", 200, {"X-Booking-Token": made["access_token"]}, path_parameters=one)
    call("/api/bookings/{id}/", "GET", 404, path_parameters=one)
    call("/api/bookings/", "GET", 200, staff, query={"status": "pending"})
    call("/api/bookings/", "GET", 401)
    call("/api/bookings/{id}/confirm", "PUT", 200, staff, path_parameters=one)
    call("/api/bookings/{id}/confirm", "PUT", 409, staff, path_parameters=one)
    call("/api/bookings/{id}/complete", "PUT", 200, staff, path_parameters=one)
    call("/api/bookings/{id}/cancel", "POST", 409, staff, path_parameters=one)
    single = make_service("massage")
    call("/api/bookings/", "POST", 201, body={**booking, "service": single.slug})
    call("/api/bookings/", "POST", 409, body={**booking, "service": single.slug})
    login = {"media_type": "application/json"}
    call("/api/auth/token/", "POST", 200, body={"username": "desk", "password": "desk-secret-pass"}, **login)
    call("/api/auth/token/", "POST", 400, body={"username": "desk", "password": "wrong"}, **login)
