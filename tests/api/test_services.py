"""GET /api/services/: the active services, their price in minor units and duration."""

from tests.api.conftest import assert_error

SERVICES = "/api/services/"


def test_anyone_sees_the_active_services_by_name(anon, make_service):
    make_service("yoga-class", name="Yoga", price=30000, capacity=12, duration_minutes=60)
    make_service("consultation", name="Consultation", price=50000, requires_payment=True, duration_minutes=30)
    make_service("closed-down", name="Archery", is_active=False)

    response = anon.get(SERVICES)

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "slug": "consultation",
                "name": "Consultation",
                "description": "",
                "duration_minutes": 30,
                "price": 50000,
                "currency": "INR",
                "capacity": 1,
                "requires_payment": True,
            },
            {
                "slug": "yoga-class",
                "name": "Yoga",
                "description": "",
                "duration_minutes": 60,
                "price": 30000,
                "currency": "INR",
                "capacity": 12,
                "requires_payment": False,
            },
        ],
    }


def test_the_list_is_paginated(anon, make_service):
    for n in range(5):
        make_service(f"service-{n}")
    page = anon.get(SERVICES, {"page_size": 2, "page": 3}).json()
    assert page["count"] == 5
    assert [s["slug"] for s in page["results"]] == ["service-4"]
    assert page["next"] is None and "page=2" in page["previous"]
    assert_error(anon.get(SERVICES, {"page": 4, "page_size": 2}), 404, "not_found")
    assert_error(anon.get(SERVICES, {"page": "last-but-one"}), 404, "not_found")


def test_a_bad_token_is_401_even_where_no_login_is_needed(anon, service):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(anon.get(SERVICES), 401, "authentication_failed")
