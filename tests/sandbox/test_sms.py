"""An SMS through the Twilio SDK is accepted, shows in the inbox and gets delivered."""

import pytest
from django.conf import settings

from notifications.twilio_client import twilio_client
from tests.sandbox.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_sms_is_accepted_and_shows_in_the_inbox(sandbox):
    message = twilio_client().messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="See you at 10")

    assert message.sid.startswith("SM") and len(message.sid) == 34
    assert (message.status, message.to, message.from_, message.body) == (
        "queued",
        "+919876543210",
        settings.TWILIO_SMS_FROM,
        "See you at 10",
    )
    [shown] = sandbox.messages(to="+919876543210", channel="sms")
    assert (shown["sid"], shown["body"], shown["provider"]) == (message.sid, "See you at 10", "twilio")


def test_an_sms_is_sent_then_delivered(sandbox):
    message = twilio_client().messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi")

    eventually(lambda: sandbox.messages(to="+919876543210")[0]["status"] == "delivered")
    assert twilio_client().messages(message.sid).fetch().status == "delivered"


def test_a_messaging_service_may_send_instead_of_a_number(sandbox):
    message = twilio_client().messages.create(
        to="+919876543210", messaging_service_sid="MG" + "0" * 32, body="From the service"
    )

    assert message.status == "accepted"
    assert sandbox.messages(to="+919876543210")[0]["body"] == "From the service"
