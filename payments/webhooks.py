"""Razorpay's webhooks: POST /payments/razorpay/webhook (configure it in Razorpay's dashboard).

Every request is recorded. The signature (X-Razorpay-Signature, HMAC-SHA256 of the raw
body with the webhook secret) is checked first: a bad one is answered 400 and is never
processed. A valid event is processed once by its X-Razorpay-Event-Id (Razorpay retries
until it gets a 2xx, with the same id); payment events reach the same idempotent
function as the checkout's verification, so their order and repetition do not matter.
Processing touches only our database, so the answer comes fast.
"""

import hashlib
import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import refunds, services
from .errors import AmountMismatch, UnknownOrder
from .gateway import gateway
from .models import WebhookEvent

log = logging.getLogger(__name__)

PAYMENT_EVENTS = {"payment.authorized", "payment.captured", "payment.failed", "order.paid"}
REFUND_EVENTS = {"refund.created", "refund.processed", "refund.failed"}


@csrf_exempt
@require_POST
def razorpay_webhook(request):
    body = request.body.decode("utf-8", "replace")  # the SDK's verification wants a str
    signature = request.headers.get("X-Razorpay-Signature", "")
    event_id = _text(request.headers.get("X-Razorpay-Event-Id", "") or _body_id(body), 100)
    payload = _parse(body)
    valid = bool(signature) and gateway().webhook_signature_valid(body, signature)
    event_type = _text(str(payload.get("event", "")), 64)
    if not valid:
        log.warning("webhook %s (%s) with a bad signature refused", event_id, event_type)
        # Only the start of the body: whoever forges requests does not get to fill the table.
        WebhookEvent.objects.create(
            event_id=event_id, event_type=event_type, signature_valid=False, payload={"body": _text(body, 2000)}
        )
        return JsonResponse({"code": "invalid_signature", "detail": "The signature does not match."}, status=400)
    event = _record(event_id, event_type, payload)
    if event.processed_at:
        return JsonResponse({"status": "duplicate", "result": event.result})
    result = process(event_type, payload)
    WebhookEvent.objects.filter(pk=event.pk).update(processed_at=timezone.now(), result=result[:255])
    return JsonResponse({"status": "processed", "result": result})


def _text(value: str, length: int) -> str:
    """As much as a column holds, without the NUL characters PostgreSQL refuses."""
    return value.replace("\x00", "")[:length]


def _body_id(body: str) -> str:
    """Razorpay always sends an event id; without one, the same body is the same event."""
    return "sha256:" + hashlib.sha256(body.encode()).hexdigest()[:64]


def _parse(body: str) -> dict:
    try:
        payload = json.loads(body)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _record(event_id: str, event_type: str, payload: dict) -> WebhookEvent:
    """The event's row: new, or the one of an earlier delivery (counted)."""
    try:
        with transaction.atomic():
            return WebhookEvent.objects.create(
                event_id=event_id, event_type=event_type, signature_valid=True, payload=payload
            )
    except IntegrityError:
        WebhookEvent.objects.filter(event_id=event_id, signature_valid=True).update(deliveries=F("deliveries") + 1)
        return WebhookEvent.objects.get(event_id=event_id, signature_valid=True)


def process(event_type: str, payload: dict) -> str:
    """Apply one signed event; what it did, in words. An exception leaves it unprocessed,
    answered 500, for Razorpay to deliver again."""
    entities = payload.get("payload") or {}
    if event_type in PAYMENT_EVENTS:
        entity = (entities.get("payment") or {}).get("entity") or {}
        order_id = entity.get("order_id") or ""
        try:
            payment = services.payment_apply(order_id=order_id, entity=entity, source=event_type)
        except UnknownOrder:
            return f"no order {order_id} of ours"
        except AmountMismatch as error:
            log.error("webhook %s for %s: %s", event_type, order_id, error.detail)
            services.payment_note_error(order_id, error.detail)
            return error.code
        return f"payment {payment.order_id} is {payment.status}"
    if event_type in REFUND_EVENTS:
        return refunds.refund_reported((entities.get("refund") or {}).get("entity") or {})
    return "ignored"
