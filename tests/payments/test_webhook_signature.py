"""A webhook whose signature does not match is answered 400, recorded, and never processed."""

import hashlib
import hmac
import json

import pytest
import requests
from django.conf import settings

from payments.models import Payment, WebhookEvent
from tests.payments.conftest import eventually, messages, pay

pytestmark = pytest.mark.django_db(transaction=True)


def captured_event(result: dict, amount: int = 50000) -> str:
    entity = {
        "id": result["razorpay_payment_id"],
        "entity": "payment",
        "order_id": result["razorpay_order_id"],
        "amount": amount,
        "currency": "INR",
        "status": "captured",
        "captured": True,
    }
    return json.dumps({"entity": "event", "event": "payment.captured", "payload": {"payment": {"entity": entity}}})


def post(live_server, body: str, signature: str, event_id: str):
    headers = {"Content-Type": "application/json", "X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}
    url = f"{live_server.url}/payments/razorpay/webhook"
    return requests.post(url, data=body.encode(), headers=headers, timeout=10)


def sign(body: str, secret: str = settings.RAZORPAY_WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def test_a_bad_signature_is_refused_and_nothing_is_processed(razorpay, start_checkout, live_server):
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")
    body = captured_event(result)

    forged = post(live_server, body, sign(body, "someone-elses-secret"), "evt_Forged00000001")
    unsigned = post(live_server, body, "", "evt_Forged00000002")

    assert (forged.status_code, forged.json()["code"]) == (400, "invalid_signature")
    assert unsigned.status_code == 400
    assert list(WebhookEvent.objects.values_list("event_id", "signature_valid", "processed_at")) == [
        ("evt_Forged00000002", False, None),
        ("evt_Forged00000001", False, None),
    ]
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status, messages(booking)) == ("created", "awaiting_payment", [])

    # The forged request did not take the event id: the real event with that id is processed.
    real = post(live_server, body, sign(body), "evt_Forged00000001")
    assert real.status_code == 200 and real.json()["status"] == "processed"
    assert Payment.objects.get(pk=payment.pk).status == "captured"


def test_a_body_changed_after_signing_is_refused(razorpay, start_checkout, live_server):
    _, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")
    signature = sign(captured_event(result))

    tampered = post(live_server, captured_event(result, amount=100), signature, "evt_Tampered000001")

    assert tampered.status_code == 400
    assert Payment.objects.get(pk=payment.pk).status == "created"


def test_a_signed_event_of_another_amount_is_recorded_but_not_applied(razorpay, start_checkout, live_server):
    _, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")
    body = captured_event(result, amount=100)

    response = post(live_server, body, sign(body), "evt_Amount00000001")

    assert response.status_code == 200 and response.json()["result"] == "amount_mismatch"
    payment.refresh_from_db()
    assert payment.status == "created" and "100 INR" in payment.last_error
    assert WebhookEvent.objects.get().processed_at is not None


def test_events_we_do_not_handle_and_orders_not_ours_are_acknowledged(razorpay, live_server):
    for event_id, body in [
        ("evt_Other000000001", json.dumps({"event": "payment.dispute.created", "payload": {}})),
        ("evt_Other000000002", captured_event({"razorpay_payment_id": "pay_X", "razorpay_order_id": "order_X"})),
    ]:
        assert post(live_server, body, sign(body), event_id).status_code == 200
    assert eventually(lambda: WebhookEvent.objects.filter(processed_at__isnull=False).count() == 2)


def test_junk_is_refused_with_400_not_an_error(razorpay, live_server):
    url = f"{live_server.url}/payments/razorpay/webhook"
    for body in (b"not json", b'{"event": "payment.captured\\u0000"}\x00', b"\xff\xfe"):
        response = requests.post(url, data=body, headers={"X-Razorpay-Signature": "00"}, timeout=10)
        assert response.status_code == 400, body
    assert requests.get(url, timeout=10).status_code == 405
    assert not WebhookEvent.objects.filter(signature_valid=True).exists()
