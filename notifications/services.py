"""The outbox: writing notification rows, handing them to the queue, sending, retrying.

1. `notify` writes one row per channel in the caller's transaction and enqueues one
   task per row when (and only if) that transaction commits.
2. `deliver` (run by the task) claims its row with a conditional UPDATE, so a task
   delivered twice sends once, then sends and records the outcome.
3. `sweep` puts back on the queue what lost its task or its worker, and what is due
   for a retry. Nothing depends on the broker keeping a task.
"""

import logging
import random
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.tasks import async_task

from bookings.models import Booking
from bookings_project import request_id as request_ids

from .channels import TransportError, channel_for
from .models import Notification
from .rendering import render

log = logging.getLogger(__name__)

Status = Notification.Status
Event = Notification.Event
Channel = Notification.Channel

SEND_TASK = "notifications.tasks.send_notification"
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
    with transaction.atomic():
        rows = Notification.objects.bulk_create(rows)
    enqueue_on_commit([row.pk for row in rows])
    return rows


def enqueue_on_commit(ids: list[int]) -> None:
    # robust: a broker that is down must not fail a booking that has committed;
    # the sweeper enqueues these rows later.
    transaction.on_commit(partial(enqueue, ids), robust=True)


def enqueue(ids: Iterable[int]) -> None:
    broker = get_broker()
    request_id = request_ids.current()  # the worker's log lines join the request's
    for pk in ids:
        async_task(SEND_TASK, pk, request_id, broker=broker, task_name=f"notification-{pk}")


def deliver(notification_id: int) -> None:
    """Send one notification if it is still due. Safe to run twice, or concurrently."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status=Status.QUEUED, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return  # sent, failed, claimed by another worker, or waiting for its retry time
    notification = Notification.objects.select_related("booking__service").get(pk=notification_id)
    if notification.event == Event.REMINDER and not _reminder_still_wanted(notification.booking, now):
        _finish(notification, Status.SKIPPED, last_error="The booking was cancelled or has started.")
        return
    try:
        provider_id = channel_for(notification.channel).send(notification.recipient, render(notification))
    except TransportError as error:
        _failed_attempt(notification, error)
        return
    _finish(notification, Status.SENT, provider_message_id=provider_id, sent_at=timezone.now(), last_error="")


def _finish(notification: Notification, status: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(status=status, **fields)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with full jitter between half and the whole delay."""
    ceiling = min(
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** (attempts - 1), settings.NOTIFICATIONS_RETRY_MAX_SECONDS
    )
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def _failed_attempt(notification: Notification, error: TransportError) -> None:
    message = str(error)[:1000]
    if error.permanent or notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        log.warning("notification %s failed for good: %s", notification.pk, message)
        _finish(notification, Status.FAILED, last_error=message)
        if notification.channel == Channel.WHATSAPP:
            fall_back_to_sms(notification)
        return
    log.info("notification %s attempt %s failed, will retry: %s", notification.pk, notification.attempts, message)
    _finish(
        notification,
        Status.QUEUED,
        last_error=message,
        next_attempt_at=timezone.now() + retry_delay(notification.attempts),
    )


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
    """Re-enqueue what would otherwise wait forever; the count enqueued. Run every minute.

    - rows claimed so long ago that their worker must have died mid-send;
    - rows due whose task was never enqueued, or was enqueued long ago and lost
      (the Redis broker drops tasks of killed workers; a process can die between
      commit and enqueue), and rows whose retry time has come.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_STALE_SENDING_SECONDS)
    Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.QUEUED, next_attempt_at=now, last_error="The worker stopped while sending; trying again."
    )
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_ENQUEUE_GRACE_SECONDS)
    due = list(
        Notification.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__lt=F("next_attempt_at")) | Q(enqueued_at__lt=grace))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if due:
        Notification.objects.filter(pk__in=due).update(enqueued_at=now)
        enqueue(due)
    return len(due)


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
