"""Broker down: bookings still succeed while the broker cannot be reached, and once it is
back every message goes out (the outbox sweeper)."""

import pytest

from notifications.models import Notification
from tests.api.conftest import BOOKINGS, body  # noqa: F401  (a valid booking body)
from tests.notifications.test_worker_delivery import all_done, book
from tests.processes import QCluster, live_env, wait_for
from tests.reliability.conftest import figure
from tests.sandbox.conftest import sandbox  # noqa: F401  (the providers pointed at the live sandbox)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_booking_commits_and_answers_201_when_enqueueing_fails(anon, body, monkeypatch):  # noqa: F811
    """The enqueue after the commit raises; the booking stands, its rows wait. (On the ORM
    broker the task is a row written in the booking's own transaction: no separate outage.)"""
    from django_q.conf import Conf

    if Conf.ORM:
        pytest.skip("the ORM broker is the database itself; the Redis broker is configured where REDIS_URL is set")

    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:1/0")  # nothing listens there: refused
    response = anon.post(BOOKINGS, body(10), format="json")
    assert response.status_code == 201, response.content
    assert set(Notification.objects.values_list("status", flat=True)) == {"queued"}


@pytest.fixture
def anon():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.mark.queue
def test_redis_stopped_while_booking_then_every_message_goes_out(
    live_server,
    sandbox,  # noqa: F811
    broker_redis,
    make_service,
    tomorrow,
    settings,
):
    if broker_redis is None:
        pytest.skip("the Redis broker is configured where REDIS_URL is set (make test's last part)")
    settings.NOTIFICATIONS_ENQUEUE_GRACE_SECONDS = 1
    env = live_env(live_server.url, REDIS_URL=broker_redis.url, NOTIFICATIONS_RETRY_BASE_SECONDS=0.2)
    worker = QCluster(env, name="reliability-broker-down").start()
    try:
        service = make_service(capacity=20)
        book(service, tomorrow, 0, channels=["sms"])
        wait_for(lambda: all_done(1), timeout=30, message="the first message, broker up")

        broker_redis.stop()
        for n in range(1, 21):
            book(service, tomorrow, n, channels=["sms"])  # raises if the booking failed
        assert Notification.objects.filter(status="queued").count() == 20

        broker_redis.start()  # the worker reconnects by itself
        wait_for(lambda: all_done(21, sweeping=True), timeout=90, interval=0.5, message="21 messages sent")
    finally:
        worker.stop()
    sent = [m["to"] for m in sandbox.accepted(limit=1000)]
    assert len(sent) == len(set(sent)) == 21
    # Tasks the sweeper enqueued again for rows already sent may still wait: they are no-ops.
    figure("broker_down", "20/20 bookings made with Redis down; 21/21 messages sent once it was back")


@pytest.mark.django_db
def test_a_booking_is_made_while_the_throttles_cache_is_unreachable(anon, body, settings):  # noqa: F811
    """The API's rate limits count in the shared cache, Redis in production: with Redis down
    they let requests through (and say so in the log) rather than fail the booking."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = anon.post(BOOKINGS, body(10), format="json")
    assert response.status_code == 201, response.content
