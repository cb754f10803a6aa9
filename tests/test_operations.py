"""What operators and load balancers see: health, readiness, metrics, request ids, logs."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.services import booking_create
from bookings_project.request_id import RedactSecretsFilter, RequestIdFilter
from notifications.models import Notification
from tests.conftest import local
from tests.processes import drain_queue


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_database_broker_and_outbox(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": True}
    assert checks["broker"]["ok"] and checks["broker"]["queued_tasks"] == 0
    assert checks["outbox"]["due_messages"] == 0


def test_readyz_is_503_when_messages_wait_too_long(client, service, tomorrow, customer, settings):
    settings.READY_MAX_OUTBOX_LAG_SECONDS = 60
    booking = booking_create(service=service, start=local(tomorrow, 10), **customer)
    booking.notifications.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["outbox"]["ok"] is False and body["checks"]["outbox"]["due_messages"] == 3
    assert body["checks"]["outbox"]["oldest_due_seconds"] >= 299


def test_metrics_count_bookings_messages_and_requests(client, service, tomorrow, customer):
    booking_create(service=service, start=local(tomorrow, 10), **customer)
    client.get("/healthz")
    text = client.get("/metrics").content.decode()
    assert 'bookings{status="pending"} 1.0' in text
    assert 'notifications{channel="sms",status="queued"} 1.0' in text
    assert 'http_request_duration_seconds_count{method="GET",status="200",view="healthz"}' in text
    assert "queue_depth" in text and 'notification_delivery_seconds{quantile="0.95"}' in text


def test_metrics_can_require_a_token(client, db, settings):
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_every_response_carries_a_request_id(client, db):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-42"})["X-Request-ID"] == "lb-42"
    assert client.get("/healthz", headers={"X-Request-ID": "bad id\n"})["X-Request-ID"] != "bad id\n"


@pytest.mark.django_db(transaction=True)
@pytest.mark.django_db(transaction=True)
def test_the_request_id_reaches_the_queued_task(service, tomorrow, customer):
    from bookings_project.request_id import bind, reset

    drain_queue()  # what earlier tests left on a shared broker
    token = bind("req-123")
    try:
        booking_create(service=service, start=local(tomorrow, 10), **customer)
    finally:
        reset(token)
    tasks = drain_queue()
    assert [(len(task["args"][0]), task["args"][1]) for task in tasks] == [(3, "req-123")]  # one batch, 3 rows


def record(message: str, *args) -> logging.LogRecord:
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)


def test_secret_links_are_redacted_from_logs():
    entry = record("Not Found: %s", "/b/BK-7F3K2Q/abcdEFGH1234-_xyz987654321/")
    RedactSecretsFilter().filter(entry)
    assert entry.getMessage() == "Not Found: /b/BK-7F3K2Q/[token]/"


def test_production_logs_are_json_lines_with_the_request_id():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
    )
    entry = record("booking %s confirmed", 42)
    RequestIdFilter().filter(entry)
    line = json.loads(formatter.format(entry))
    assert line["message"] == "booking 42 confirmed" and line["level"] == "WARNING" and line["request_id"] == "-"


@pytest.mark.django_db
def test_a_booking_logs_no_personal_data(client, service, tomorrow, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/api/bookings/",
        {
            "service": service.slug,
            "start": local(tomorrow, 10).isoformat(),
            "customer": {"name": "Meera Iyer", "phone": "+91 99887 76655", "email": "meera@example.org"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    token = response.json()["access_token"]
    client.get(f"/b/{response.json()['reference']}/{token}x/")  # a 404 that Django logs
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Meera", "99887", "+919988776655", "meera@example.org", token):
        assert secret not in logged
    assert Notification.objects.count() == 3
