"""Refunds: decided inside a transaction, sent to the provider after it commits, never twice.

1. `refund_request` writes a queued Refund row in the transaction that decides it (a
   cancellation, a payment for a place that is gone) and enqueues a task on commit.
2. `refund_send` (the task) claims its row with a conditional UPDATE, so a task run
   twice calls the provider once, and calls it with the row's idempotency key, so that
   even a call repeated after a crash is the same refund at the provider.
3. `refund_accepted` records the provider's refund once, whoever reports it first (the
   task's answer or a refund webhook), and tells the customer then.
4. `sweep` re-enqueues refunds whose task or worker was lost, and retries that are due.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django_q.tasks import async_task

from bookings.models import Booking
from bookings_project import outbox
from notifications.services import notify

from .gateway import ProviderError, gateway
from .models import Payment, Refund

log = logging.getLogger(__name__)

Status = Refund.Status
SEND_TASK = "payments.tasks.send_refund"
# Refunds that count against what a payment can still give back.
COMMITTED = [Status.QUEUED, Status.SENDING, Status.PENDING, Status.PROCESSED]
ACCEPTED = [Status.PENDING, Status.PROCESSED]


def refund_request(
    payment: Payment, *, reason: str, provider_payment_id: str = "", paid: int | None = None
) -> Refund | None:
    """Refund what is left of a provider payment (`paid`: its amount; the order's by default).

    Call inside a transaction that holds the payment's row lock: what is left is the
    amount paid less the refunds already written, so asking twice refunds once.
    None when nothing is left to refund.
    """
    provider_payment_id = provider_payment_id or payment.payment_id
    paid = payment.amount if paid is None else paid
    written = Refund.objects.filter(payment=payment, provider_payment_id=provider_payment_id, status__in=COMMITTED)
    left = paid - (written.aggregate(total=Sum("amount"))["total"] or 0)
    if left <= 0:
        return None
    refund = Refund.objects.create(
        payment=payment,
        booking_id=payment.booking_id,
        provider_payment_id=provider_payment_id,
        amount=left,
        currency=payment.currency,
        reason=reason,
    )
    log.info("refund %s of %s %s written for %s (%s)", refund.pk, left, payment.currency, payment.order_id, reason)
    # robust: a broker that is down must not fail what has committed; the sweeper enqueues it later.
    transaction.on_commit(lambda: enqueue([refund.pk]), robust=True)  # not a partial: see notifications.services
    return refund


def enqueue(ids) -> None:
    broker = outbox.broker()
    for pk in ids:
        async_task(SEND_TASK, pk, broker=broker, task_name=f"refund-{pk}")


def refund_send(refund_id: int) -> None:
    """Send one refund to the provider if it is still due. Safe to run twice, or concurrently."""
    now = timezone.now()
    claimed = Refund.objects.filter(pk=refund_id, status=Status.QUEUED, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return  # sent, failed, claimed by another worker, or waiting for its retry time
    refund = Refund.objects.select_related("booking").get(pk=refund_id)
    notes = {"refund_id": str(refund.pk), "booking": refund.booking.reference, "reason": refund.reason}
    try:
        answer = gateway().refund(
            refund.provider_payment_id, amount=refund.amount, idempotency_key=refund.idempotency_key, notes=notes
        )
    except ProviderError as error:
        _failed_attempt(refund, error)
        return
    refund_accepted(refund.pk, provider_refund_id=answer["id"], provider_status=answer.get("status", ""))


def refund_accepted(refund_id: int, *, provider_refund_id: str, provider_status: str) -> bool:
    """The provider has the refund: record it and tell the customer, once; True the first time.
    A later report only moves it from pending to processed."""
    status = Status.PROCESSED if provider_status == "processed" else Status.PENDING
    now = timezone.now()
    refund = Refund.objects.get(pk=refund_id)
    with transaction.atomic():
        # Booking, payment, refund: the order every payments transaction locks them in
        # (a cancellation locks the booking first), so that none waits on another in a cycle.
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=refund.booking_id)
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        fields = {"status": status, "provider_refund_id": provider_refund_id, "last_error": "", "accepted_at": now}
        if status == Status.PROCESSED:
            fields["processed_at"] = now
        first = Refund.objects.filter(pk=refund_id, status__in=[Status.QUEUED, Status.SENDING, Status.FAILED]).update(
            **fields
        )
        if not first:
            if status == Status.PROCESSED:
                Refund.objects.filter(pk=refund_id, status=Status.PENDING).update(
                    status=Status.PROCESSED, processed_at=now
                )
            return False
        _recount(payment)
        notify(booking, "refunded", occasion=provider_refund_id)
    log.info("refund %s accepted by the provider as %s (%s)", refund_id, provider_refund_id, provider_status)
    return True


def _recount(payment: Payment) -> None:
    """The payment's refunded amount and status from its accepted refunds (of its own provider payment)."""
    refunded = (
        payment.refunds.filter(provider_payment_id=payment.payment_id, status__in=ACCEPTED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    if not refunded or not payment.is_paid:
        return
    status = Payment.Status.REFUNDED if refunded >= payment.amount else Payment.Status.PARTIALLY_REFUNDED
    Payment.objects.filter(pk=payment.pk).update(amount_refunded=refunded, status=status, updated_at=timezone.now())


def refund_failed(refund_id: int, message: str) -> None:
    """The provider could not pay a refund back: staff must act (the admin shows it)."""
    log.error("refund %s failed: %s", refund_id, message)
    Refund.objects.filter(pk=refund_id).exclude(status=Status.PROCESSED).update(
        status=Status.FAILED, last_error=message[:1000]
    )


def _failed_attempt(refund: Refund, error: ProviderError) -> None:
    message = str(error)[:1000]
    if error.permanent or refund.attempts >= settings.PAYMENTS_REFUND_MAX_ATTEMPTS:
        log.error("refund %s failed for good: %s", refund.pk, message)
        Refund.objects.filter(pk=refund.pk, status=Status.SENDING).update(status=Status.FAILED, last_error=message)
        return
    log.warning("refund %s attempt %s failed, will retry: %s", refund.pk, refund.attempts, message)
    delay = outbox.retry_delay(
        refund.attempts,
        base_seconds=settings.PAYMENTS_REFUND_RETRY_BASE_SECONDS,
        max_seconds=settings.PAYMENTS_REFUND_RETRY_MAX_SECONDS,
    )
    Refund.objects.filter(pk=refund.pk, status=Status.SENDING).update(
        status=Status.QUEUED, last_error=message, next_attempt_at=timezone.now() + delay
    )


def refund_reported(entity: dict) -> str:
    """A refund webhook (refund.created, .processed, .failed): what it changed, in words.

    Our refunds are found by the provider's id or, when the webhook beats the task's
    answer, by the refund id we put in the notes. A refund made elsewhere (the provider's
    dashboard) is recorded against our payment so that staff and the customer see it.
    """
    refund = _our_refund(entity)
    if refund is None:
        return "not a refund of ours"
    if entity.get("status") == "failed":
        refund_failed(refund.pk, "The provider reports the refund failed.")
        return f"refund {refund.pk} failed"
    first = refund_accepted(refund.pk, provider_refund_id=entity["id"], provider_status=entity.get("status", ""))
    return f"refund {refund.pk} {'accepted' if first else 'already known'}"


def _our_refund(entity: dict) -> Refund | None:
    refund_id, payment_id = entity.get("id", ""), entity.get("payment_id", "")
    found = Refund.objects.filter(provider_refund_id=refund_id).first()
    if found:
        return found
    notes = entity.get("notes") or {}
    ours = str(notes.get("refund_id", "")) if isinstance(notes, dict) else ""
    if ours.isdigit():
        found = Refund.objects.filter(pk=int(ours), provider_payment_id=payment_id).first()
        if found:
            return found
    payment = Payment.objects.filter(payment_id=payment_id).first()
    if payment is None:
        return None
    try:
        with transaction.atomic():
            refund, _ = Refund.objects.get_or_create(
                idempotency_key=f"provider-{refund_id}"[:64],
                defaults={
                    "payment": payment,
                    "booking_id": payment.booking_id,
                    "provider_payment_id": payment_id,
                    "amount": entity["amount"],
                    "currency": entity.get("currency") or payment.currency,
                    "reason": Refund.Reason.PROVIDER,
                    "status": Status.SENDING,  # never ours to send: only to be accepted
                },
            )
    except IntegrityError:  # the same webhook, arriving twice at once
        refund = Refund.objects.get(idempotency_key=f"provider-{refund_id}"[:64])
    return refund


def sweep(*, limit: int = 500) -> int:
    """Re-enqueue refunds that lost their task or their worker (a refund the provider
    may have taken already is retried with the same idempotency key), and retries now
    due. Refunds the provider started itself are never ours to send."""
    return outbox.sweep(
        Refund.objects.exclude(reason=Refund.Reason.PROVIDER),
        stale_seconds=settings.PAYMENTS_REFUND_STALE_SECONDS,
        grace_seconds=settings.PAYMENTS_REFUND_ENQUEUE_GRACE_SECONDS,
        enqueue=enqueue,
        limit=limit,
    )
