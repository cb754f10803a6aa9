"""SIGKILL the worker in the middle of a batch: every message still goes out, with at most
one duplicate per message that was in flight at the kill (one worker here: one per kill).
SIGTERM it with a backlog: it stops once it has sent what it holds."""

from collections import Counter

import pytest

from notifications.models import Notification
from tests.notifications.test_worker_delivery import all_done, book
from tests.processes import wait_for

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

KILLS = 3


@pytest.mark.parametrize("qcluster", [{"Q_WORKERS": 1, "NOTIFICATIONS_SEND_THREADS": 1}], indirect=True)
def test_killed_workers_lose_no_message(qcluster, sandbox, make_service, tomorrow, settings):
    # The sweeper runs here, in the test process, standing in for its schedule; rows
    # claimed by a killed worker are taken back after 2 s, lost tasks after 2 s.
    settings.NOTIFICATIONS_STALE_SENDING_SECONDS = 2
    settings.NOTIFICATIONS_ENQUEUE_GRACE_SECONDS = 2
    sandbox.set_faults(twilio={"latency": "0.3"}, postmark={"latency": "0.3"})
    service = make_service(capacity=20)
    for n in range(20):
        book(service, tomorrow, n, channels=["sms", "email"])

    for kill in range(KILLS):
        wait_for(
            lambda: Notification.objects.filter(status=Notification.Status.SENDING).exists(),
            timeout=30,
            interval=0.05,
            message=f"a message in flight before kill {kill + 1}",
        )
        qcluster.kill()
        qcluster.start()

    wait_for(lambda: all_done(40, sweeping=True), timeout=120, interval=0.5, message="40 messages sent")
    sent = Counter((m["channel"], m["to"]) for m in sandbox.accepted())
    assert len(sent) == 40  # every message arrived
    duplicates = sum(count - 1 for count in sent.values())
    print(f"\n{duplicates} duplicate(s) after {KILLS} kills")
    assert duplicates <= KILLS


@pytest.mark.parametrize("qcluster", [{"Q_WORKERS": 2}], indirect=True)
def test_a_stopped_worker_finishes_what_it_holds_and_leaves_the_backlog(qcluster, sandbox, make_service, tomorrow):
    """SIGTERM, as a deploy sends it: the cluster finishes the tasks its workers hold and
    stops, and the backlog waits for the next cluster, instead of holding up the stop
    until it is killed in the middle of sends."""
    sandbox.set_faults(twilio={"latency": "0.5"})
    service = make_service(capacity=30)
    for n in range(30):
        book(service, tomorrow, n, channels=["sms"])  # a task per message
    not_queued = Notification.objects.exclude(status=Notification.Status.QUEUED)
    wait_for(lambda: not_queued.exists(), timeout=30, interval=0.05, message="the first message in flight")

    before = not_queued.count()
    qcluster.stop()
    # Two in the workers' hands, one waiting for each and one in the pusher's; not the 25 others.
    assert not_queued.count() - before <= 2 + 2 + 1
    assert not Notification.objects.filter(status=Notification.Status.SENDING).exists()

    qcluster.start()
    wait_for(lambda: all_done(30), timeout=60, interval=0.5, message="30 messages sent")
    sent = Counter(m["to"] for m in sandbox.accepted())
    assert len(sent) == 30 and set(sent.values()) == {1}
