"""Twilio's status callbacks arrive later, signed as Twilio signs them."""

import pytest
from django.conf import settings
from twilio.request_validator import RequestValidator

from notifications.twilio_client import twilio_client
from tests.sandbox.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def test_sent_then_delivered_callbacks_pass_the_sdks_signature_check(sandbox, receiver):
    callback_url = f"{receiver.url}/notifications/twilio/status?booking=7"
    message = twilio_client().messages.create(
        to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi", status_callback=callback_url
    )

    sent, delivered = receiver.wait_for(2)
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    for callback, status in ((sent, "sent"), (delivered, "delivered")):
        assert callback.form["MessageSid"] == message.sid
        assert callback.form["MessageStatus"] == status
        assert validator.validate(receiver.url + callback.path, callback.form, callback.headers["X-Twilio-Signature"])
    tampered = {**delivered.form, "MessageStatus": "failed"}
    assert not validator.validate(receiver.url + delivered.path, tampered, delivered.headers["X-Twilio-Signature"])
    eventually(lambda: [d["status"] for d in sandbox.webhooks(provider="twilio")] == ["delivered", "delivered"])


def test_undelivered_messages_say_so_with_an_error_code(sandbox, receiver):
    sandbox.set_faults(twilio={"undelivered_rate": 1})
    twilio_client().messages.create(
        to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi", status_callback=f"{receiver.url}/status"
    )

    _, last = receiver.wait_for(2)
    assert (last.form["MessageStatus"], last.form["ErrorCode"]) == ("undelivered", "30003")


def test_a_callback_that_fails_is_recorded(sandbox, receiver):
    receiver.status = 500
    twilio_client().messages.create(
        to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi", status_callback=f"{receiver.url}/status"
    )

    receiver.wait_for(2)
    eventually(lambda: {(d["status"], d["response_status"]) for d in sandbox.webhooks()} == {("failed", 500)})
    assert sandbox.messages()[0]["status"] == "delivered"  # the message went on regardless
