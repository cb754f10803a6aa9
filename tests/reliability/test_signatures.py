"""Signatures: a tampered checkout signature, webhook body or signature, Twilio callback
signature or anymail webhook credentials is refused and changes nothing; the genuine
request, sent after, is accepted (so the refusals were about the signature)."""

import base64

import pytest
from django.conf import settings
from django.test import Client
from twilio.request_validator import RequestValidator

from bookings.services import booking_create
from notifications.models import Notification
from payments.models import Payment, WebhookEvent
from tests.conftest import local
from tests.payments.conftest import (  # noqa: F401  (fixtures: a paid service, the sandbox's Razorpay)
    assert_error,
    events,
    messages,
    pay,
    razorpay,
    service,
    start_checkout,
    verify,
)
from tests.payments.test_webhook_signature import captured_event, post, sign
from tests.sandbox.conftest import sandbox  # noqa: F401

TWILIO_STATUS = "/notifications/twilio/status"
POSTMARK_TRACKING = "/anymail/postmark/tracking/"


def flip(text: str) -> str:
    return text[:-1] + ("0" if text[-1] != "0" else "1")


@pytest.mark.django_db(transaction=True)
def test_checkout_and_webhook_tampering_is_refused(live_server, razorpay, start_checkout):  # noqa: F811
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")
    body = captured_event(result)
    for tampered in (
        {**result, "razorpay_signature": flip(result["razorpay_signature"])},
        {**result, "razorpay_payment_id": flip(result["razorpay_payment_id"])},
        {**result, "razorpay_signature": ""},
    ):
        assert verify(tampered).status_code == 400
    for forged_body, signature in (
        (captured_event(result, amount=1), sign(body)),  # body changed after signing
        (body, flip(sign(body))),  # signature changed
        (body, sign(body, "another-secret")),
    ):
        assert post(live_server, forged_body, signature, "evt_Reliability01").status_code == 400

    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status, messages(booking)) == ("created", "awaiting_payment", [])
    assert events(booking) == [("", "awaiting_payment")]
    assert not WebhookEvent.objects.filter(signature_valid=True).exists()
    assert verify(result).status_code == 200  # the genuine one


@pytest.fixture
def sent_sms(make_service, tomorrow, customer):
    """A booking's SMS and email, sent: their receipts are due."""
    booking = booking_create(
        service=make_service("haircut"), start=local(tomorrow, 10), channels=["sms", "email"], **customer
    )
    for row in booking.notifications.all():
        Notification.objects.filter(pk=row.pk).update(status="sent", provider_message_id=f"SMrel{row.channel}")
    return booking


def twilio_post(client, params: dict, signature: str):
    return client.post(TWILIO_STATUS, params, HTTP_X_TWILIO_SIGNATURE=signature)


def test_twilio_callbacks_with_a_bad_signature_are_refused(sent_sms, db):
    client = Client()
    url = f"http://testserver{TWILIO_STATUS}"
    params = {"MessageSid": "SMrelsms", "MessageStatus": "delivered"}
    good = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    for params_sent, signature in (
        (params, ""),
        (params, flip(good)),
        ({**params, "MessageStatus": "undelivered"}, good),  # body changed after signing
        (params, RequestValidator("another-token").compute_signature(url, params)),
    ):
        assert twilio_post(client, params_sent, signature).status_code == 403
    assert Notification.objects.get(channel="sms").status == "sent"
    assert twilio_post(client, params, good).status_code == 204
    assert Notification.objects.get(channel="sms").status == "delivered"


def test_anymail_webhooks_without_the_credentials_are_refused(sent_sms, db):
    client = Client()
    event = {"RecordType": "Delivery", "MessageID": "SMrelemail", "Recipient": "asha@example.com"}
    event["DeliveredAt"] = "2026-01-01T10:00:00Z"

    def send(credentials: str):
        headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}
        return client.post(POSTMARK_TRACKING, event, content_type="application/json", **headers if credentials else {})

    for credentials in ("", "sandbox:wrong", "someone:anymail-webhook-secret"):
        assert send(credentials).status_code in (400, 401, 403)
    assert Notification.objects.get(channel="email").status == "sent"
    assert send(settings.ANYMAIL["WEBHOOK_SECRET"]).status_code == 200
    assert Notification.objects.get(channel="email").status == "delivered"
    assert Payment.objects.count() == 0
