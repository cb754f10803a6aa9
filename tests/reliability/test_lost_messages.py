"""Lost messages: 200 bookings while the sandbox fails 30% of sends transiently and the only
worker is SIGKILLed three times mid-send: every message arrives; duplicates are counted and
are at most one per kill (one worker: at most one message in flight at a kill). On the
database broker, and on Redis (a throwaway redis-server) when REDIS_URL is set."""

import os
from collections import Counter

import pytest

from notifications.models import Notification
from tests.notifications.test_worker_delivery import all_done, book
from tests.processes import QCluster, live_env, wait_for
from tests.reliability.conftest import figure
from tests.sandbox.conftest import sandbox  # noqa: F401  (the providers pointed at the live sandbox)

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

# make soak: RELIABILITY_SOAK=1, five times the bookings, and email too.
SOAK = os.environ.get("RELIABILITY_SOAK") == "1"
BOOKINGS = 1000 if SOAK else 200
CHANNELS = ["sms", "email"] if SOAK else ["sms"]
KILLS = 3


@pytest.fixture
def worker(live_server, sandbox, broker_redis):  # noqa: F811
    """One qcluster with one worker, on this test's database and broker; fast retries."""
    extra = {"REDIS_URL": broker_redis.url} if broker_redis else {}
    env = live_env(
        live_server.url, Q_WORKERS=1, NOTIFICATIONS_RETRY_BASE_SECONDS=0.2, NOTIFICATIONS_RETRY_MAX_SECONDS=1, **extra
    )
    cluster = QCluster(env, name="reliability-lost-messages").start()
    yield cluster
    cluster.stop()


def test_200_bookings_30_percent_failures_3_kills_nothing_lost(worker, sandbox, make_service, tomorrow, settings):  # noqa: F811
    # The sweeper runs here, in the test process, standing in for its schedule.
    settings.NOTIFICATIONS_STALE_SENDING_SECONDS = 2
    settings.NOTIFICATIONS_ENQUEUE_GRACE_SECONDS = 2
    failing = {"failure_rate": 0.3, "failure_statuses": "500/503/429", "seed": 11}
    sandbox.set_faults(twilio=failing, postmark=failing)
    service = make_service(capacity=BOOKINGS)
    for n in range(BOOKINGS):
        book(service, tomorrow, n, channels=CHANNELS)
    expected = len(CHANNELS) * BOOKINGS

    for kill in range(KILLS):
        wait_for(
            lambda: Notification.objects.filter(status=Notification.Status.SENDING).exists(),
            timeout=60,
            interval=0.02,
            message=f"a message in flight before kill {kill + 1}",
        )
        worker.kill()
        worker.start()

    wait_for(
        lambda: all_done(expected, sweeping=True),
        timeout=900 if SOAK else 240,
        interval=0.5,
        message=f"{expected} messages sent",
    )
    accepted = sandbox.accepted(limit=10000)
    sent = Counter((m["channel"], m["to"]) for m in accepted)
    refused = len(sandbox.messages(limit=10000)) - len(accepted)
    duplicates = sum(count - 1 for count in sent.values())
    figure(
        "lost_messages",
        f"{len(sent)}/{expected} delivered, {duplicates} duplicate(s) after {KILLS} kills",
        f"{BOOKINGS} bookings, {refused} sends failed transiently and were retried",
    )
    assert len(sent) == expected  # every message arrived
    assert refused > 0.2 * expected  # the failures did happen
    assert duplicates <= KILLS
