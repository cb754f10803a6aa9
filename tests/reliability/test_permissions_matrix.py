"""Every endpoint and admin page against every kind of caller: anonymous, the token holder of
another booking, customer A (the owner) and customer B, front desk and manager. Every
forbidden cell is denied, and a booking that is not yours is "not found"."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.test import APIClient

from bookings.models import Booking
from tests.api.conftest import BOOKINGS, body, book, client_with_token  # noqa: F401  (fixtures)
from tests.reliability.conftest import figure

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_token", "customer_a", "customer_b", "front_desk", "manager"]


def user(name: str, group: str = ""):
    made = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-" + name, is_staff=bool(group))
    if group:
        made.groups.add(Group.objects.get(name=group))
    return made


@pytest.fixture
def world(book):  # noqa: F811
    users = {
        "customer_a": user("customer-a"),
        "customer_b": user("customer-b"),
        "front_desk": user("front-desk", "Front desk"),
        "manager": user("manager", "Manager"),
    }
    clients = {name: client_with_token(u) for name, u in users.items()}
    clients["anonymous"] = APIClient()
    guest = book(hour=15, customer={"name": "Guest", "phone": "+91 91234 56789"}, channels=["sms"])
    clients["other_token"] = APIClient()
    clients["other_token"].credentials(HTTP_X_BOOKING_TOKEN=guest["access_token"])
    return users, clients, book


def row(statuses: str) -> dict:
    """Expected statuses in the order of ROLES."""
    return dict(zip(ROLES, map(int, statuses.split()), strict=True))


# (method, path, expected status per role); {id} is customer A's booking. Roles in the order
#         anonymous, other booking's token, customer A, customer B, front desk, manager.
API = [
    ("get", "{id}/", row("404 404 200 404 200 200")),
    ("post", "{id}/cancel", row("404 404 200 404 200 200")),
    ("put", "{id}/confirm", row("401 401 403 403 200 200")),
    ("put", "{id}/complete", row("401 401 403 403 409 409")),  # staff may; pending cannot complete
    ("get", "", row("401 401 200 200 200 200")),  # the list: B's does not hold A's booking
    ("get", "999999/", row("404 404 404 404 404 404")),
    ("post", "999999/cancel", row("404 404 404 404 404 404")),
    ("put", "999999/confirm", row("401 401 403 403 404 404")),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "expected"), API, ids=[f"{m} {p}" for m, p, _ in API])
def test_api_cell(world, role, method, path, expected):
    users, clients, make = world
    owner = make(client_with_token(users["customer_a"]), hour=10)
    before = Booking.objects.get(pk=owner["id"]).status
    response = getattr(clients[role], method)(BOOKINGS + path.format(id=owner["id"]), format="json")
    assert response.status_code == expected[role], response.content
    if response.status_code >= 400:
        assert Booking.objects.get(pk=owner["id"]).status == before  # refused: nothing changed
        if response.status_code == 404:
            assert response.json()["code"] == "not_found"
    if method == "get" and path == "" and response.status_code == 200:
        ids = {item["id"] for item in response.json()["results"]}
        assert (owner["id"] in ids) == (role in {"customer_a", "front_desk", "manager"})


# Admin pages: anonymous callers and customers are sent to the login page.
ADMIN = [
    ("/admin/", {"front_desk": 200, "manager": 200}),
    ("/admin/bookings/booking/", {"front_desk": 200, "manager": 200}),
    ("/admin/bookings/booking/{pk}/change/", {"front_desk": 200, "manager": 200}),
    ("/admin/bookings/service/add/", {"front_desk": 403, "manager": 200}),
    ("/admin/notifications/notification/", {"front_desk": 200, "manager": 200}),
    ("/admin/payments/webhookevent/", {"front_desk": 403, "manager": 200}),
    ("/admin/django_q/failure/", {"front_desk": 403, "manager": 200}),
    ("/admin/auth/user/", {"front_desk": 403, "manager": 403}),
    ("/admin/auth/group/", {"front_desk": 403, "manager": 403}),
]


@pytest.mark.parametrize(("path", "expected"), ADMIN, ids=[p for p, _ in ADMIN])
def test_admin_page(world, path, expected):
    users, _, make = world
    pk = make(client_with_token(users["customer_a"]), hour=11)["id"]
    url = path.format(pk=pk)
    cells = 0
    for role in ("anonymous", "customer_a", "customer_b", "front_desk", "manager"):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        response = client.get(url)
        want = expected.get(role, 302)
        assert response.status_code == want, (role, url, response.status_code)
        if want == 302:
            assert response["Location"].startswith("/admin/login/")
        cells += 1
    assert cells == 5


def test_the_matrix_size():
    cells = len(API) * len(ROLES) + len(ADMIN) * 5
    figure("permissions", f"{cells} cells (API {len(API)}x{len(ROLES)}, admin {len(ADMIN)}x5)")
