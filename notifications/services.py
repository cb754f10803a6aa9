"""The outbox: writing notification rows, handing them to the queue, sending, retrying.

1. `notify` writes one row per channel in the caller's transaction and enqueues one
   task for them, in that transaction (database broker) or once it commits (Redis).
2. `deliver_batch` (run by the task) claims its rows, locked as they are read, so a
   task delivered twice sends once, then sends and records each outcome.
3. `sweep` puts back on the queue what lost its task or its worker, and what is due
   for a retry. Nothing depends on the broker keeping a task.
"""

import contextvars
import logging
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django_q.conf import Conf
from django_q.tasks import async_task

from bookings.models import Booking
from bookings_project import outbox
from bookings_project import request_id as request_ids

from .channels import TransportError, channel_for
from .models import Notification
from .rendering import Rendered, render

log = logging.getLogger(__name__)

Status = Notification.Status
Event = Notification.Event
Channel = Notification.Channel

SEND_TASK = "notifications.tasks.send_notification"  # one row: tasks enqueued before batches
SEND_BATCH_TASK = "notifications.tasks.send_notifications"
REMINDABLE = {Booking.Status.PENDING, Booking.Status.CONFIRMED}


def recipient_for(booking: Booking, channel: str) -> str:
    return booking.email if channel == Channel.EMAIL else str(booking.phone)


def notify(booking: Booking, event: str, *, occasion: str = "") -> list[Notification]:
    """Write the rows telling the customer about `event` on every channel they accept;
    the tasks that send them are enqueued once the current transaction commits."""
    rows = [
        Notification(
            booking=booking, event=event, occasion=occasion, channel=channel, recipient=recipient_for(booking, channel)
        )
        for channel in booking.channels
    ]
    if not rows:
        return []
    with transaction.atomic(savepoint=False):  # inside the booking's transaction: no savepoint round trips
        rows = Notification.objects.bulk_create(rows)
    enqueue_on_commit([row.pk for row in rows])
    return rows


def enqueue_on_commit(ids: list[int]) -> None:
    if _broker_joins_transaction():
        # The ORM broker's task is a row in this same database: written in this
        # transaction, it commits or rolls back with the rows, in the same commit.
        enqueue(ids)
        return
    # robust: a broker that is down must not fail a booking that has committed;
    # the sweeper enqueues these rows later.
    # A function, not a partial: Django 5.2 logs a robust callback's failure by its
    # __qualname__, and without one the logging raises and the committed request is a 500.
    transaction.on_commit(lambda: enqueue(ids), robust=True)


def _broker_joins_transaction() -> bool:
    """Inside a transaction on the database the ORM broker writes to (not in sync mode,
    where enqueuing runs the task at once: that must wait for the commit)."""
    orm = Conf.ORM
    return bool(orm) and not Conf.SYNC and orm == "default" and transaction.get_connection(orm).in_atomic_block


def enqueue(ids: Iterable[int]) -> None:
    """One task per batch of rows (the rows of one booking change, or up to
    NOTIFICATIONS_SEND_THREADS rows of a sweep): its worker sends them side by side."""
    ids = list(ids)
    broker = outbox.broker()
    request_id = request_ids.current()  # the worker's log lines join the request's
    size = max(settings.NOTIFICATIONS_SEND_THREADS, 1)
    for batch in (ids[i : i + size] for i in range(0, len(ids), size)):
        async_task(SEND_BATCH_TASK, batch, request_id, broker=broker, task_name=f"notifications-{batch[0]}")


def deliver(notification_id: int) -> None:
    """Send one notification if it is still due. Safe to run twice, or concurrently."""
    deliver_batch([notification_id])


def deliver_batch(ids: Iterable[int]) -> None:
    """Send each of these notifications that is still due; safe to run twice, or concurrently.

    The rows are claimed together and rendered here, their outcomes recorded here (the
    sent ones in one statement); only the provider calls run side by side, on threads
    that never touch the database, so a booking's messages take one provider latency.
    Rows go NOTIFICATIONS_SEND_THREADS at a time (this worker's setting, whatever batch
    the enqueuer made): no more are claimed than are being sent, so a worker killed
    mid-send leaves at most that many sent-but-unrecorded rows, and no claimed row
    waits behind others long enough for the sweeper to think its worker dead.
    """
    ids = list(ids)
    size = max(settings.NOTIFICATIONS_SEND_THREADS, 1)
    unexpected = None
    for start in range(0, len(ids), size):
        try:
            _deliver_together(ids[start : start + size])
        except Exception as error:  # its rows stay "sending"; the rest still go out
            unexpected = unexpected or error
    if unexpected is not None:
        raise unexpected


def _deliver_together(ids: list[int]) -> None:
    claimed = _claim(ids)
    texts: dict[tuple, Rendered] = {}  # a booking's channels say the same thing: rendered once
    jobs = []
    for notification in claimed:
        key = (notification.booking_id, notification.event, notification.occasion)
        if key not in texts:
            texts[key] = render(notification)
        jobs.append((notification, texts[key]))
    outcomes = _send_all(jobs)
    unexpected = None
    sent = {}
    for notification, outcome in zip(claimed, outcomes, strict=True):
        if isinstance(outcome, TransportError):
            _failed_attempt(notification, outcome)
        elif isinstance(outcome, BaseException):
            unexpected = unexpected or outcome  # its row stays "sending": the sweeper retries it
        else:
            sent[notification.pk] = outcome
    _record_sent(sent)
    if unexpected is not None:
        raise unexpected


def _claim(ids: list[int]) -> list[Notification]:
    """The rows of `ids` that are due, now ours to send (status sending); the others are
    sent, failed, waiting for their retry time, or being claimed by another worker.

    One transaction for the lot: the rows are locked as they are read, and rows another
    worker has locked are skipped, so no row is ever claimed twice (SQLite has no row
    locks, but its IMMEDIATE transactions run one at a time).
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("booking__service")
            .filter(pk__in=ids, status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("pk")
        )
        if not due:
            return []
        Notification.objects.filter(pk__in=[notification.pk for notification in due]).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    claimed = []
    for notification in due:
        notification.status, notification.claimed_at = Status.SENDING, now
        notification.attempts += 1
        if notification.event == Event.REMINDER and not _reminder_still_wanted(notification.booking, now):
            _finish(notification, Status.SKIPPED, last_error="The booking was cancelled or has started.")
        else:
            claimed.append(notification)
    return claimed


def _send(notification: Notification, message: Rendered) -> str | BaseException:
    """The provider's message id, or the error (TransportError or a bug): never raises."""
    try:
        return channel_for(notification.channel).send(notification.recipient, message)
    except Exception as error:  # handed back to deliver_batch, which records or re-raises it
        return error


def _send_all(jobs: list[tuple[Notification, Rendered]]) -> list:
    if len(jobs) <= 1 or settings.NOTIFICATIONS_SEND_THREADS <= 1:
        return [_send(*job) for job in jobs]
    pool = _senders()
    # copy_context: the request id of the logs follows each send onto its thread
    futures = [pool.submit(contextvars.copy_context().run, _send, *job) for job in jobs]
    return [future.result() for future in futures]


_pool: tuple[int, ThreadPoolExecutor] | None = None


def _senders() -> ThreadPoolExecutor:
    """This process's sending threads, made after the fork that started the worker."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        threads = settings.NOTIFICATIONS_SEND_THREADS
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=threads, thread_name_prefix="notification-send"))
    return _pool[1]


def _record_sent(provider_ids: dict[int, str]) -> None:
    """Mark these rows sent, with their provider message ids: one statement for the lot."""
    if not provider_ids:
        return
    provider_message_id = Case(*(When(pk=pk, then=Value(sid)) for pk, sid in provider_ids.items()))
    Notification.objects.filter(pk__in=provider_ids, status=Status.SENDING).update(
        status=Status.SENT, provider_message_id=provider_message_id, sent_at=timezone.now(), last_error=""
    )


def _finish(notification: Notification, status: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(status=status, **fields)


def _failed_attempt(notification: Notification, error: TransportError) -> None:
    message = str(error)[:1000]
    if error.permanent or notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        log.warning("notification %s failed for good: %s", notification.pk, message)
        _finish(notification, Status.FAILED, last_error=message)
        if notification.channel == Channel.WHATSAPP:
            fall_back_to_sms(notification)
        return
    log.info("notification %s attempt %s failed, will retry: %s", notification.pk, notification.attempts, message)
    delay = outbox.retry_delay(
        notification.attempts,
        base_seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS,
        max_seconds=settings.NOTIFICATIONS_RETRY_MAX_SECONDS,
    )
    _finish(notification, Status.QUEUED, last_error=message, next_attempt_at=timezone.now() + delay)


def fall_back_to_sms(notification: Notification) -> Notification | None:
    """WhatsApp failed for good: send the same event by SMS, unless SMS already has it."""
    try:
        with transaction.atomic():
            sms, created = Notification.objects.get_or_create(
                booking_id=notification.booking_id,
                event=notification.event,
                occasion=notification.occasion,
                channel=Channel.SMS,
                defaults={"recipient": notification.recipient},
            )
    except IntegrityError:  # a concurrent fallback wrote it first
        return None
    if not created:
        return None
    enqueue_on_commit([sms.pk])
    return sms


def _reminder_still_wanted(booking: Booking, now) -> bool:
    return booking.status in REMINDABLE and booking.start > now


def sweep(*, limit: int = 1000) -> int:
    """Re-enqueue rows that lost their task or their worker, and retries now due."""
    return outbox.sweep(
        Notification.objects.all(),
        stale_seconds=settings.NOTIFICATIONS_STALE_SENDING_SECONDS,
        grace_seconds=settings.NOTIFICATIONS_ENQUEUE_GRACE_SECONDS,
        enqueue=enqueue,
        limit=limit,
    )


RESENDABLE = {Status.FAILED, Status.UNDELIVERED, Status.BOUNCED, Status.SKIPPED}


def resend(notification: Notification) -> bool:
    """Staff's "send again" for a message that failed or did not arrive."""
    if notification.status not in RESENDABLE:
        return False
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), enqueued_at=timezone.now(), last_error=""
        )
        enqueue_on_commit([notification.pk])
    return True


RECEIPT_STATUSES = {
    # Twilio MessageStatus, anymail tracking event_type
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.UNDELIVERED,
    "bounced": Status.BOUNCED,
    "rejected": Status.BOUNCED,
}


def record_receipt(provider_message_id: str, provider_status: str) -> bool:
    """Apply a delivery receipt; True if it changed a row. Unknown ids and repeated or
    out-of-order receipts change nothing: a final status is never overwritten."""
    status = RECEIPT_STATUSES.get(provider_status)
    if not status or not provider_message_id:
        return False
    now = timezone.now()
    fields = {"status": status, "delivered_at": now} if status == Status.DELIVERED else {"status": status}
    with transaction.atomic():
        changed = Notification.objects.filter(
            provider_message_id=provider_message_id, status__in=[Status.SENDING, Status.SENT]
        ).update(**fields)
        if changed and status == Status.UNDELIVERED:
            for notification in Notification.objects.filter(
                provider_message_id=provider_message_id, channel=Channel.WHATSAPP
            ):
                fall_back_to_sms(notification)
    return bool(changed)


def schedule_reminders(*, now=None) -> int:
    """Write the reminders that are due now; the count written. Run every minute.

    A booking gets the reminder of the nearest offset whose time has come, if it
    was booked before that time and has no reminder of that offset or a nearer one
    yet: a booking made 3 hours ahead gets the 2-hour reminder only, and none is
    sent twice. Status is checked again at send time.
    """
    now = now or timezone.now()
    offsets = sorted(settings.NOTIFICATIONS_REMINDER_HOURS)
    if not offsets:
        return 0
    candidates = (
        Booking.objects.filter(status__in=REMINDABLE, start__gt=now, start__lte=now + timedelta(hours=offsets[-1]))
        .exclude(channels=[])
        .prefetch_related("notifications")
    )
    written = 0
    for booking in candidates:
        due = [h for h in offsets if booking.created_at <= booking.start - timedelta(hours=h) <= now]
        if not due:
            continue
        nearest = due[0]
        sent = {int(n.occasion[:-1]) for n in booking.notifications.all() if n.event == Event.REMINDER}
        if any(h <= nearest for h in sent):
            continue
        try:
            with transaction.atomic():
                written += len(notify(booking, Event.REMINDER, occasion=f"{nearest}h"))
        except IntegrityError:
            continue  # another sweep wrote it
    return written
