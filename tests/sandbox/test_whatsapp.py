"""WhatsApp messages a business starts must use an approved template, as on Twilio."""

import json

import pytest
from django.conf import settings
from twilio.base.exceptions import TwilioRestException

from notifications.twilio_client import twilio_client

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT_SID = "HX" + "ab" * 16


def test_a_template_message_is_accepted(sandbox):
    message = twilio_client().messages.create(
        to="whatsapp:+919876543210",
        from_=settings.TWILIO_WHATSAPP_FROM,
        content_sid=CONTENT_SID,
        content_variables=json.dumps({"1": "Asha", "2": "Haircut"}),
    )

    assert message.sid.startswith("SM") and message.status == "queued"
    [shown] = sandbox.messages(to="whatsapp:+919876543210", channel="whatsapp")
    assert shown["content_sid"] == CONTENT_SID
    assert shown["content_variables"] == {"1": "Asha", "2": "Haircut"}


def test_a_free_form_message_is_refused_with_63016(sandbox):
    with pytest.raises(TwilioRestException) as refused:
        twilio_client().messages.create(
            to="whatsapp:+919876543210", from_=settings.TWILIO_WHATSAPP_FROM, body="Your booking is confirmed"
        )

    assert (refused.value.status, refused.value.code) == (400, 63016)
    assert "Message Template" in refused.value.msg
    [shown] = sandbox.messages(channel="whatsapp")
    assert (shown["status"], shown["error_code"]) == ("refused", 63016)


def test_whatsapp_to_an_sms_sender_is_refused(sandbox):
    with pytest.raises(TwilioRestException) as refused:
        twilio_client().messages.create(
            to="whatsapp:+919876543210", from_=settings.TWILIO_SMS_FROM, content_sid=CONTENT_SID
        )

    assert refused.value.code == 21910
