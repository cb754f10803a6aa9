"""What the two outboxes (notifications, and refunds in payments) share.

An outbox row is written in the business transaction, handed to the queue on commit,
claimed by a worker (status "sending", claimed_at), and on a failure put back
("queued") with a later next_attempt_at. Nothing depends on the broker keeping a
task: the sweeper, run every minute, enqueues again what lost its task or its worker.
"""

import os
import random
from collections.abc import Callable
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_q.brokers import Broker, get_broker
from django_q.conf import Conf

QUEUED, SENDING = "queued", "sending"

_broker: tuple[tuple, Broker] | None = None


def broker() -> Broker:
    """This process's django-q2 broker for the configuration in force. get_broker() makes
    a new one per call, and the Redis broker a new connection pool with it: each task
    enqueued opened and closed a TCP connection to Redis (measured under gunicorn: 2 ms
    more CPU per booking than on the database broker). A forked child makes its own."""
    global _broker
    key = (os.getpid(), repr(Conf.REDIS), Conf.ORM)
    if _broker is None or _broker[0] != key:
        _broker = (key, get_broker())
    return _broker[1]


def retry_delay(attempts: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """Exponential backoff with jitter between half and the whole delay."""
    ceiling = min(base_seconds * 2 ** (attempts - 1), max_seconds)
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def sweep(
    rows: QuerySet,
    *,
    stale_seconds: float,
    grace_seconds: float,
    enqueue: Callable[[list[int]], None],
    limit: int,
) -> int:
    """Re-enqueue what would otherwise wait forever; the count enqueued.

    - rows claimed so long ago that their worker must have died mid-send;
    - rows due whose task was never enqueued, or was enqueued long ago and lost
      (the Redis broker drops tasks of killed workers; a process can die between
      commit and enqueue), and rows whose retry time has come.
    """
    now = timezone.now()
    rows.filter(status=SENDING, claimed_at__lt=now - timedelta(seconds=stale_seconds)).update(
        status=QUEUED, next_attempt_at=now, last_error="The worker stopped while sending; trying again."
    )
    grace = now - timedelta(seconds=grace_seconds)
    due = list(
        rows.filter(status=QUEUED, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__lt=F("next_attempt_at")) | Q(enqueued_at__lt=grace))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if due:
        rows.model.objects.filter(pk__in=due).update(enqueued_at=now)
        enqueue(due)
    return len(due)
