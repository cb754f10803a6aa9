"""Razorpay's orders, payments and refunds in the sandbox, and the webhooks they cause.

Payments are made only through the checkout stand-in and are captured at once (Razorpay's
default, and what an order's `payment_capture` asks; the order records whether it asked),
so a payment is either `captured` (later `refunded`) or `failed`.
"""

import hashlib
import hmac
import json
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox import callbacks, ids
from sandbox.models import Delivery, Order, Payment, Provider, Refund

ACCOUNT_ID = "acc_Sandbox0000000"
MINIMUM_AMOUNT = 100  # one rupee, in paise
CURRENCY = re.compile(r"^[A-Z]{3}$")
PAYMENT_EVENTS = ("payment.authorized", "payment.captured", "payment.failed", "order.paid")
REFUND_EVENTS = ("refund.created", "refund.processed")
CHECKOUT_WEBHOOKS = {
    "in_order": ("payment.captured", "order.paid"),
    "reversed": ("order.paid", "payment.captured"),
    "none": (),
}


class RazorpayError(Exception):
    """A request Razorpay refuses with BAD_REQUEST_ERROR (HTTP 400)."""

    def __init__(self, description: str, field: str | None = None):
        super().__init__(description)
        self.description = description
        self.field = field


def parse_amount(value, field: str = "amount") -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        raise RazorpayError(f"The {field} must be an integer.", field)
    return int(value)


def parse_notes(value) -> dict:
    if value in (None, "", []):
        return {}
    if not isinstance(value, dict):
        raise RazorpayError("The notes field must be an array.", "notes")
    if len(value) > 15:
        raise RazorpayError("Number of fields in notes should be less than or equal to 15", "notes")
    return {str(key): str(item)[:256] for key, item in value.items()}


def order_create(data: dict) -> Order:
    if data.get("amount") in (None, ""):
        raise RazorpayError("The amount field is required.", "amount")
    amount = parse_amount(data["amount"])
    if amount < MINIMUM_AMOUNT:
        raise RazorpayError("Order amount less than minimum amount allowed", "amount")
    currency = data.get("currency") or ""
    if not currency:
        raise RazorpayError("The currency field is required.", "currency")
    if not CURRENCY.match(currency):
        raise RazorpayError("The currency is invalid.", "currency")
    receipt = str(data.get("receipt") or "")
    if len(receipt) > 40:
        raise RazorpayError("The receipt may not be greater than 40 characters.", "receipt")
    return Order.objects.create(
        amount=amount,
        currency=currency,
        receipt=receipt,
        notes=parse_notes(data.get("notes")),
        payment_capture=parse_capture(data.get("payment_capture")),
    )


def parse_capture(value) -> bool | None:
    """An order's payment_capture: 1/0 or true/false; None when not sent (the account's setting)."""
    if value is None:
        return None
    if str(value).lower() in {"1", "true"}:
        return True
    if str(value).lower() in {"0", "false"}:
        return False
    raise RazorpayError("The payment capture field must be true or false.", "payment_capture")


def payment_signature(order_id: str, payment_id: str) -> str:
    """What checkout hands back as razorpay_signature: HMAC-SHA256 of "order_id|payment_id" with the key secret."""
    message = f"{order_id}|{payment_id}".encode()
    return hmac.new(settings.RAZORPAY_KEY_SECRET.encode(), message, hashlib.sha256).hexdigest()


def checkout_pay(order_id: str, *, email: str = "", contact: str = "", method: str = "card", webhooks="in_order"):
    """A customer pays the order in checkout: a captured payment, then the webhooks."""
    events = CHECKOUT_WEBHOOKS.get(webhooks)
    if events is None:
        raise RazorpayError(f"webhooks must be one of {', '.join(CHECKOUT_WEBHOOKS)}.", "webhooks")
    with transaction.atomic():
        order = locked_order(order_id)
        if order.status == Order.Status.PAID:
            raise RazorpayError("This order has already been paid.", "order_id")
        payment = Payment.objects.create(
            order=order,
            amount=order.amount,
            currency=order.currency,
            status=Payment.Status.CAPTURED,
            method=method or "card",
            email=email,
            contact=contact,
        )
        order.attempts += 1
        order.amount_paid = order.amount
        order.status = Order.Status.PAID
        order.save(update_fields=["attempts", "amount_paid", "status"])
        send_events_later(payment.pk, events)
    return payment


def checkout_fail(order_id: str, *, email: str = "", contact: str = "", method: str = "card") -> Payment:
    """The customer's payment fails in checkout (the bank declined it): a failed payment and its webhook."""
    with transaction.atomic():
        order = locked_order(order_id)
        if order.status == Order.Status.PAID:
            raise RazorpayError("This order has already been paid.", "order_id")
        payment = Payment.objects.create(
            order=order,
            amount=order.amount,
            currency=order.currency,
            status=Payment.Status.FAILED,
            method=method or "card",
            email=email,
            contact=contact,
            error_code="BAD_REQUEST_ERROR",
            error_description="Payment failed",
            error_reason="payment_failed",
        )
        order.attempts += 1
        order.status = Order.Status.ATTEMPTED
        order.save(update_fields=["attempts", "status"])
        send_events_later(payment.pk, ("payment.failed",))
    return payment


def locked_order(order_id: str) -> Order:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise RazorpayError("The id provided does not exist", "order_id")
    return order


def refund_create(payment_id: str, data: dict, idempotency_key: str = "") -> Refund:
    """Refunds all or part of a captured payment; the same idempotency key gives back the same refund."""
    try:
        with transaction.atomic():
            return _refund(payment_id, data, idempotency_key or None)
    except IntegrityError:
        # A racing request with the same key committed first: answer with its refund.
        return Refund.objects.get(payment_id=payment_id, idempotency_key=idempotency_key)


def _refund(payment_id: str, data: dict, idempotency_key: str | None) -> Refund:
    payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
    if payment is None:
        raise RazorpayError("The id provided does not exist", "payment_id")
    if idempotency_key:
        earlier = payment.refunds.filter(idempotency_key=idempotency_key).first()
        if earlier:
            return earlier
    if not payment.captured:
        raise RazorpayError("Only captured payments can be refunded.", "payment_id")
    remaining = payment.amount - payment.amount_refunded
    if remaining == 0:
        raise RazorpayError("The payment has been fully refunded already", "payment_id")
    amount = remaining if data.get("amount") in (None, "") else parse_amount(data["amount"])
    if amount < MINIMUM_AMOUNT:
        raise RazorpayError("The refund amount must be atleast INR 1.00", "amount")
    if amount > remaining:
        raise RazorpayError("The refund amount provided is greater than amount captured", "amount")
    refund = Refund.objects.create(
        payment=payment,
        amount=amount,
        currency=payment.currency,
        receipt=str(data.get("receipt") or "")[:40],
        notes=parse_notes(data.get("notes")),
        speed=data.get("speed") or "normal",
        idempotency_key=idempotency_key,
    )
    payment.amount_refunded += amount
    if payment.amount_refunded == payment.amount:
        payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["amount_refunded", "status"])
    send_events_later(refund.pk, REFUND_EVENTS)
    return refund


def send_events_later(subject_id: str, events) -> None:
    if events:
        transaction.on_commit(lambda: callbacks.later(send_events, subject_id, tuple(events)))


def send_events(subject_id: str, events) -> list[Delivery]:
    """Sends webhooks about a payment (pay_...) or a refund (rfnd_...), one after the other,
    in the order given. Nothing is sent when SANDBOX_RAZORPAY_WEBHOOK_URL is empty."""
    url = callbacks.webhook_url(settings.SANDBOX_RAZORPAY_WEBHOOK_URL)
    deliveries = []
    for event in events:
        entities = event_entities(subject_id, event)
        if entities and url:
            deliveries.append(send_webhook(event, entities, subject_id, url))
    return deliveries


def event_entities(subject_id: str, event: str) -> dict | None:
    """The entities an event carries, freshly read (as Razorpay sends the state at sending time)."""
    if event in REFUND_EVENTS:
        refund = Refund.objects.select_related("payment").filter(pk=subject_id).first()
        return refund and {"refund": refund.as_razorpay(), "payment": refund.payment.as_razorpay()}
    if event not in PAYMENT_EVENTS:
        raise RazorpayError(f"Unknown event {event}; one of {', '.join(PAYMENT_EVENTS + REFUND_EVENTS)}.", "events")
    payment = Payment.objects.select_related("order").filter(pk=subject_id).first()
    if payment is None:
        return None
    entities = {"payment": payment.as_razorpay()}
    if event == "order.paid":
        entities["order"] = payment.order.as_razorpay()
    return entities


def send_webhook(event: str, entities: dict, subject_id: str, url: str) -> Delivery:
    body = json.dumps(
        {
            "entity": "event",
            "account_id": ACCOUNT_ID,
            "event": event,
            "contains": list(entities),
            "payload": {name: {"entity": entity} for name, entity in entities.items()},
            "created_at": int(timezone.now().timestamp()),
        }
    )
    signature = hmac.new(settings.RAZORPAY_WEBHOOK_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    event_id = ids.razorpay_id("evt")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Razorpay-Webhook/v1",
        "X-Razorpay-Signature": signature,
        "X-Razorpay-Event-Id": event_id,
    }
    return callbacks.send(
        provider=Provider.RAZORPAY,
        event=event,
        subject=subject_id,
        url=url,
        body=body,
        headers=headers,
        event_id=event_id,
    )
