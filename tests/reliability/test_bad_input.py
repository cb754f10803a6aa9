"""Bad input gets a clear 4xx, never a 5xx: oversized bodies, wrong content types, unicode
and very long names, NUL characters, naive datetimes, other offsets, DST gaps, negative or
huge numbers."""

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from bookings.models import Booking
from tests.api.conftest import BOOKINGS, assert_error, body  # noqa: F401  (a valid booking body)
from tests.payments.test_webhook_signature import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def post(client, data, content_type="application/json", path=BOOKINGS):
    payload = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(path, payload, content_type=content_type)


def test_bodies_and_content_types(client, body):  # noqa: F811
    assert_error(post(client, {**body(), "notes": "x" * 3_000_000}), 413, "request_too_large")
    assert_error(post(client, "{" * 100_000), 400, "parse_error")
    assert_error(post(client, b"\xff\xfe\x00"), 400, "parse_error")
    assert_error(post(client, "[]"), 400, "invalid")
    for content_type in ("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = post(client, json.dumps(body()), content_type=content_type)
        assert 400 <= response.status_code < 500, (content_type, response.status_code)
    assert_error(post(client, json.dumps(body()), "text/plain"), 415, "unsupported_media_type")
    assert Booking.objects.count() == 0


def test_names_and_text(client, body):  # noqa: F811
    customer = body()["customer"]
    ok = post(client, body(customer={**customer, "name": "अनुष्का Ðõñ 😀 مريم"}))
    assert ok.status_code == 201 and ok.json()["customer"]["name"] == "अनुष्का Ðõñ 😀 مريم"
    for hour, bad in enumerate(
        [
            {"name": "x" * 10_000},
            {"name": "nul\x00byte"},
            {"name": ""},
            {"phone": "+91 " + "9" * 200},
            {"email": "not an email"},
            {"email": "a" * 300 + "@example.com"},
        ],
        start=11,
    ):
        response = post(client, body(hour, customer={**customer, **bad}))
        assert 400 <= response.status_code < 500, (bad, response.content)
    response = post(client, body(12, notes="\x00"))
    assert 400 <= response.status_code < 500 or response.status_code == 201
    response = post(client, body(13, service="x" * 5000))
    assert_error(response, 400, "invalid")


def test_times_and_time_zones(client, body, tomorrow, settings, make_service):  # noqa: F811
    start = datetime.combine(tomorrow, time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert_error(post(client, body(start=start.replace(tzinfo=None).isoformat())), 400, "invalid")  # naive
    for bad in ("tomorrow at ten", "2026-02-30T10:00:00+05:30", "99999-01-01T00:00:00Z", "", None, 10**20):
        assert 400 <= post(client, body(start=bad)).status_code < 500, bad
    assert_error(post(client, body(start=(start + timedelta(minutes=7)).isoformat())), 400, "invalid")
    # The same instant written with another offset is the same slot.
    other = start.astimezone(ZoneInfo("America/Los_Angeles")).isoformat()
    made = post(client, body(start=other))
    assert made.status_code == 201, made.content
    assert_error(post(client, body(start=start.astimezone(ZoneInfo("UTC")).isoformat())), 409, "slot_unavailable")
    for day in ("", "2026-13-01", "0000-01-01", "1-1-1", "x" * 1000):
        response = client.get(f"/api/services/{body()['service']}/slots/", {"date": day})
        assert 400 <= response.status_code < 500, (day, response.status_code)
    far = client.get(f"/api/services/{body()['service']}/slots/", {"date": "9999-12-31"})
    assert far.status_code == 200 and far.json()["slots"] == []  # beyond the booking window: nothing


def test_a_dst_gap_in_the_business_time_zone(client, settings, make_service):
    """New York skips 02:00-03:00 on the second Sunday of March: no slot there, clear answers."""
    settings.TIME_ZONE = "America/New_York"
    settings.BOOKING_MAX_DAYS_AHEAD = 800
    service = make_service("night-desk", hours=[(time(0), time(6))])
    today = date.today()
    year = today.year + 1
    march = date(year, 3, 8)
    gap_day = march + timedelta(days=(6 - march.weekday()) % 7)
    slots = client.get(f"/api/services/{service.slug}/slots/", {"date": str(gap_day)})
    assert slots.status_code == 200
    starts = [s["start"] for s in slots.json()["slots"]]
    assert not any("T02:" in s for s in starts) and len(starts) == len(set(starts))
    data = {"service": service.slug, "customer": {"name": "Nia", "phone": "+1 415 555 2671"}}
    for start in (f"{gap_day}T02:30:00-05:00", f"{gap_day}T02:30:00-04:00", f"{gap_day}T02:00:00"):
        response = post(client, {**data, "start": start})
        assert response.status_code in (201, 400, 409), (start, response.content)


def test_negative_and_huge_numbers(client, body, settings):  # noqa: F811
    assert post(client, body(amount=-100, price=10**30)).json().get("amount") != -100  # not the client's to say
    for path in (f"{BOOKINGS}{2**70}/", f"{BOOKINGS}-1/", f"{BOOKINGS}?page=-1", f"{BOOKINGS}?page_size={10**20}"):
        assert 400 <= client.get(path).status_code < 500, path
    verify = {"razorpay_order_id": "order_X", "razorpay_payment_id": "pay_X", "razorpay_signature": "0" * 64}
    assert 400 <= post(client, verify, path="/api/bookings/verify-payment").status_code < 500
    for amount in (-100, 10**30, 1.5, "lots"):
        entity = {"id": "pay_X", "order_id": "order_X", "amount": amount, "currency": "INR", "status": "captured"}
        event = json.dumps({"event": "payment.captured", "payload": {"payment": {"entity": entity}}})
        response = client.post(
            "/payments/razorpay/webhook", event, content_type="application/json", HTTP_X_RAZORPAY_SIGNATURE=sign(event)
        )
        assert response.status_code < 500, (amount, response.content)
