"""The Content-Security-Policy: our own scripts and Razorpay Checkout's only; looser only
where a library's page needs it (the API docs), none on the sandbox's stand-in pages."""

import re

import pytest
from django.urls import reverse

from bookings.services import booking_create
from tests.conftest import local

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def test_the_pages_allow_our_own_scripts_and_checkouts_only(client, service, settings):
    csp = directives(client.get("/"))

    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", *settings.CSP_CHECKOUT_ORIGINS]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in csp.values() for value in values)


def test_checkouts_origins_come_from_its_script_and_the_api(settings):
    """In development both are the sandbox's; in production Razorpay's hosts."""
    from bookings_project.settings import _origin

    assert _origin("https://checkout.razorpay.com/v1/checkout.js") == "https://checkout.razorpay.com"
    assert _origin("http://127.0.0.1:8000/sandbox/razorpay") == "http://127.0.0.1:8000"
    assert set(settings.CSP_CHECKOUT_ORIGINS) == {
        _origin(settings.RAZORPAY_CHECKOUT_JS),
        _origin(settings.RAZORPAY_API_BASE),
    }


def test_our_pages_have_no_inline_script_or_style(client, service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
    pages = [
        "/",
        reverse("bookings:service", args=[service.slug]),
        reverse("bookings:book", args=[service.slug]) + "?start=" + local(tomorrow, 11).isoformat().replace("+", "%2B"),
        reverse("bookings:status", kwargs={"reference": booking.reference, "token": booking.access_token}),
        "/no-such-page/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script or 'type="application/json"' in script, (path, script)
        assert "<style" not in html and " style=" not in html and " on" + "click=" not in html, path


def test_the_api_docs_may_run_their_inline_start_up_script(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    csp = directives(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]  # the rest of the policy still holds


def test_the_sandbox_stands_in_for_other_sites_and_has_no_policy_of_ours(client):
    assert "Content-Security-Policy" not in client.get("/sandbox/").headers


def test_the_admin_keeps_the_strict_policy(client):
    csp = directives(client.get("/admin/login/"))

    assert csp["script-src"][0] == "'self'" and "'unsafe-inline'" not in csp["script-src"]
