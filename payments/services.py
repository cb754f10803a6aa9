"""Writes of the payments app: starting a checkout, applying what the provider reports,
reconciling. The customer pages, the API, the webhook and the tasks all call these.

Every report of a payment (the checkout's signed answer, each webhook, reconciliation)
reaches `payment_apply`, which locks the booking and the payment, moves the payment
forward only, and settles the booking the first time money is captured: a payment is
applied once, whatever arrives first and however often. No provider is called inside a
transaction: the gateway refuses to be.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings.errors import HoldExpired, InvalidTransition, SlotUnavailable
from bookings.models import Booking, BookingEvent
from bookings.services import booking_create, booking_discard, transition

from . import refunds
from .errors import AmountMismatch, InvalidSignature, PaymentProviderUnavailable, UnknownOrder
from .gateway import ProviderError, gateway
from .models import PAID, RANK, Payment, Refund

log = logging.getLogger(__name__)

S = Payment.Status
B = Booking.Status
SETTLED = {B.PENDING, B.CONFIRMED, B.COMPLETED}  # bookings a payment has moved on


# --- Checkout ------------------------------------------------------------------------------


def checkout_start(
    *, service, start, name: str, phone: str, email: str = "", channels=None, notes: str = "", user=None
) -> tuple[Booking, Payment]:
    """Book a place held for payment and make the provider's order for its price.

    Raises booking_create's ValidationError or SlotUnavailable, and PaymentProviderUnavailable
    when no order can be made: the booking is then discarded, its place given back, and no
    message is sent, as if nothing had been booked.
    """
    booking = booking_create(
        service=service,
        start=start,
        name=name,
        phone=phone,
        email=email,
        channels=channels,
        notes=notes,
        user=user,
        pay_online=True,
    )
    notes_for_provider = {"booking_id": str(booking.pk), "reference": booking.reference}
    try:
        order = gateway().create_order(
            amount=booking.amount, currency=booking.currency, receipt=booking.reference, notes=notes_for_provider
        )
    except ProviderError as error:
        log.warning("no order for booking %s, discarding it: %s", booking.reference, error)
        booking_discard(booking)
        raise PaymentProviderUnavailable() from error
    payment = Payment.objects.create(
        booking=booking, order_id=order["id"], amount=booking.amount, currency=booking.currency
    )
    return booking, payment


def checkout_options(payment: Payment) -> dict:
    """The options for Razorpay Checkout (checkout.js) to pay `payment`'s order. No secret in here."""
    booking = payment.booking
    return {
        "key": settings.RAZORPAY_KEY_ID,
        "order_id": payment.order_id,
        "amount": payment.amount,
        "currency": payment.currency,
        "name": settings.BUSINESS_NAME,
        "description": booking.service.name,
        "prefill": {"name": booking.customer_name, "email": booking.email, "contact": str(booking.phone)},
    }


def open_payment(booking: Booking, *, now=None) -> Payment | None:
    """The order to (re)open Checkout with while the booking's hold lasts; None once it has lapsed,
    the booking has moved on, or the order is paid (or being paid: authorized)."""
    now = now or timezone.now()
    if booking.status != B.AWAITING_PAYMENT or (booking.hold_expires_at and booking.hold_expires_at <= now):
        return None
    return booking.payments.filter(status__in=[S.CREATED, S.FAILED]).order_by("-created_at", "-id").first()


def checkout_verify(*, order_id: str, payment_id: str, signature: str) -> Booking:
    """The checkout's answer: check its signature with the key secret against the order we
    made, and apply the payment as captured for the order's amount.

    The signature is Razorpay's word, without another round trip, that this payment of this
    order succeeded: checkout hands it over only for a successful payment, an order is paid
    in its own amount only (no partial payments), and our orders are captured at once
    (`payment_capture`, see create_order). The webhooks and reconciliation report the same
    payment, from Razorpay itself, to the same idempotent function.

    Raises UnknownOrder and InvalidSignature (nothing changes). A payment that came too late
    for its booking is refunded: HoldExpired, or InvalidTransition for a cancelled booking.
    Repeating it returns the same booking.
    """
    with transaction.atomic():
        booking, payment = _locked(order_id)
        if not gateway().payment_signature_valid(order_id=order_id, payment_id=payment_id, signature=signature):
            raise InvalidSignature()
        entity = {"id": payment_id, "amount": payment.amount, "currency": payment.currency, "status": "captured"}
        _apply(booking, payment, entity=entity, source="checkout")
    if payment.is_paid and booking.status not in SETTLED:
        _too_late(booking, payment)
    return booking


def _too_late(booking: Booking, payment: Payment) -> None:
    refund = payment.refunds.order_by("-created_at").first()
    refunded = " Your payment is being refunded in full." if refund else ""
    if booking.status == B.EXPIRED:
        raise HoldExpired(f"The time held for payment ran out and the place was taken.{refunded}")
    raise InvalidTransition(f"This booking is {booking.get_status_display().lower()}.{refunded}")


# --- Applying what the provider reports ------------------------------------------------------


def status_of(entity: dict) -> str:
    """A provider payment's status as ours; a refunded payment was captured first."""
    if entity.get("captured") or entity.get("status") in {"captured", "refunded"}:
        return S.CAPTURED
    return {"authorized": S.AUTHORIZED, "failed": S.FAILED}.get(entity.get("status"), S.CREATED)


def payment_apply(*, order_id: str, entity: dict, source: str) -> Payment:
    """Apply a report of a payment of our order `order_id`; idempotent, in any order.

    `entity` is the provider's payment (id, amount, currency, status). The payment only
    moves forward (models.RANK); the first capture settles the booking (confirmed, or
    pending where staff confirm paid bookings; a lapsed booking if its place is still
    free) or, when the booking cannot take it, refunds it. A second captured payment of
    an order already paid is refunded. Raises UnknownOrder, AmountMismatch.
    """
    with transaction.atomic():
        booking, payment = _locked(order_id)
        _apply(booking, payment, entity=entity, source=source)
    return payment


def _locked(order_id: str) -> tuple[Booking, Payment]:
    """The booking paid by the order `order_id`, then the order's payment, each locked: the
    order a cancellation takes them in (its transition locks the booking, the refund
    receiver the payment). Raises UnknownOrder."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("service")
        .filter(payments__order_id=order_id)
        .first()
    )
    if booking is None:
        raise UnknownOrder()
    return booking, Payment.objects.select_for_update().get(order_id=order_id)


def _apply(booking: Booking, payment: Payment, *, entity: dict, source: str) -> None:
    """payment_apply on the locked booking and payment, which it moves on."""
    new = status_of(entity)
    if entity.get("amount") != payment.amount or entity.get("currency") != payment.currency:
        raise AmountMismatch(
            f"The payment is of {entity.get('amount')} {entity.get('currency')}; "
            f"the order was of {payment.amount} {payment.currency}."
        )
    if payment.is_paid:
        if new == S.CAPTURED and entity["id"] != payment.payment_id:
            log.error(
                "order %s paid twice (%s, %s): refunding the second", payment.order_id, payment.payment_id, entity["id"]
            )
            refunds.refund_request(
                payment, reason=Refund.Reason.DUPLICATE, provider_payment_id=entity["id"], paid=entity["amount"]
            )
        return
    same = entity["id"] == payment.payment_id
    if RANK[new] < RANK[payment.status] or (RANK[new] == RANK[payment.status] and same):
        return  # nothing new: a repeat, or a report overtaken by a later one
    _record(payment, new, entity["id"])
    log.info("payment %s of order %s is %s (from %s)", entity["id"], payment.order_id, new, source)
    if new == S.CAPTURED:
        _settle(booking, payment, source)  # moves `booking` on


def _record(payment: Payment, status: str, payment_id: str) -> None:
    now = timezone.now()
    payment.status, payment.payment_id, payment.last_error = status, payment_id, ""
    fields = ["status", "payment_id", "last_error", "updated_at"]
    if status == S.AUTHORIZED:
        payment.authorized_at = now
        fields.append("authorized_at")
    elif status == S.CAPTURED:
        payment.captured_at = now
        fields.append("captured_at")
    payment.save(update_fields=fields)


def _settle(booking: Booking, payment: Payment, source: str) -> None:
    """The first capture of the order: move the booking on, or refund what it cannot take."""
    if booking.status in {B.AWAITING_PAYMENT, B.EXPIRED}:
        to = B.CONFIRMED if booking.service.auto_confirm_paid else B.PENDING
        try:
            note = f"Paid ({payment.payment_id}, {source})"
            transition(booking, to, source=BookingEvent.Source.PAYMENT, note=note, locked=True)
            return
        except SlotUnavailable:  # a late payment, and someone else has the place now
            reason = Refund.Reason.PLACE_TAKEN
    elif booking.status == B.CANCELLED:
        reason = Refund.Reason.CANCELLED
    else:  # settled already by another order of the same booking
        reason = Refund.Reason.NOT_PAYABLE
    log.warning("booking %s (%s) cannot take payment %s: refunding it", booking.reference, booking.status, payment.pk)
    refunds.refund_request(payment, reason=reason)


def payment_note_error(order_id: str, message: str) -> None:
    """Leave a problem with a payment where staff see it (the admin)."""
    Payment.objects.filter(order_id=order_id).update(last_error=message[:1000], updated_at=timezone.now())


def refund_cancelled_booking(booking: Booking) -> list[Refund]:
    """Refund the paid payments of a booking that has just been cancelled, in its transaction."""
    written = []
    for payment in Payment.objects.select_for_update().filter(booking=booking, status__in=PAID).order_by("pk"):
        refund = refunds.refund_request(payment, reason=Refund.Reason.CANCELLED)
        if refund:
            written.append(refund)
    return written


# --- Holds and reconciliation -------------------------------------------------------------------


def awaiting_reconciliation(*, after: timedelta | None = None, window: timedelta | None = None, now=None):
    """Orders still unpaid `after` their creation and younger than `window`: the ones to ask
    the provider about (and the staff dashboard's count)."""
    now = now or timezone.now()
    after = timedelta(minutes=settings.PAYMENTS_RECONCILE_AFTER_MINUTES) if after is None else after
    window = timedelta(hours=settings.PAYMENTS_RECONCILE_WINDOW_HOURS) if window is None else window
    return Payment.objects.filter(
        status__in=[S.CREATED, S.AUTHORIZED, S.FAILED], created_at__lte=now - after, created_at__gte=now - window
    )


def reconcile(*, after: timedelta | None = None, window: timedelta | None = None, limit: int = 200) -> int:
    """Ask the provider about orders still unpaid `after` their creation (within `window`) and
    apply what it knows: a lost webhook and a closed browser cannot leave a paid booking
    unconfirmed. The count of payments that changed."""
    now = timezone.now()
    candidates = list(
        awaiting_reconciliation(after=after, window=window, now=now)
        .order_by(F("reconciled_at").asc(nulls_first=True), "created_at")
        .values_list("pk", "order_id", "status")[:limit]
    )
    changed = 0
    for pk, order_id, status in candidates:
        Payment.objects.filter(pk=pk).update(reconciled_at=now)
        try:
            entities = gateway().fetch_order_payments(order_id)
        except ProviderError as error:
            log.warning("reconciliation could not fetch the payments of %s: %s", order_id, error)
            continue
        for entity in sorted(entities, key=lambda e: RANK[status_of(e)], reverse=True):
            try:
                payment_apply(order_id=order_id, entity=entity, source="reconciliation")
            except AmountMismatch as error:
                log.error("reconciliation of %s: %s", order_id, error.detail)
                payment_note_error(order_id, error.detail)
        changed += Payment.objects.filter(pk=pk).exclude(status=status).exists()
    return changed
