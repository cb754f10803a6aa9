"""SIGKILL the worker in the middle of a batch: every message still goes out, with at most
one duplicate per message that was in flight at the kill (one worker here: one per kill)."""

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
