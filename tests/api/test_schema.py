"""The OpenAPI schema is valid, documents every operation with its errors, and the docs work offline."""

import yaml
from django.core.management import call_command


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    operations = {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == {
        ("GET", "/api/services/"),
        ("GET", "/api/services/{slug}/slots/"),
        ("GET", "/api/bookings/"),
        ("POST", "/api/bookings/"),
        ("GET", "/api/bookings/{id}/"),
        ("POST", "/api/bookings/{id}/cancel"),
        ("PUT", "/api/bookings/{id}/confirm"),
        ("PUT", "/api/bookings/{id}/complete"),
        ("POST", "/api/auth/token/"),
        ("POST", "/api/bookings/razorpay-booking"),
        ("POST", "/api/bookings/verify-payment"),
    }
    create = operations[("POST", "/api/bookings/")]
    assert {"201", "400", "409", "422", "429"} <= set(create["responses"])
    assert create["responses"]["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    paid = operations[("POST", "/api/bookings/razorpay-booking")]
    assert {"201", "400", "409", "422", "429", "502"} <= set(paid["responses"])
    assert "Idempotency-Key" in [p["name"] for p in paid["parameters"]]
    verify = set(operations[("POST", "/api/bookings/verify-payment")]["responses"])
    assert {"200", "400", "409"} <= verify and "502" not in verify  # no call to Razorpay
    assert "X-Booking-Token" in [p["name"] for p in operations[("GET", "/api/bookings/{id}/")]["parameters"]]


def test_the_schema_is_served(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_docs_load_their_scripts_from_our_static_files_not_a_cdn(client, db):
    for path in ("/api/docs/", "/api/redoc/"):
        page = client.get(path).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page, path
        assert "cdn." not in page and "unpkg" not in page, path
