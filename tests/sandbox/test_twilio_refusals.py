"""Twilio's refusals: numbers that are not E.164, missing fields, wrong credentials."""

import pytest
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from notifications.twilio_client import BaseUrlHttpClient, twilio_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("number", ["+91 98765 43210", "9876543210", "+91123", "whatsapp:98765"])
def test_a_number_that_is_not_valid_e164_is_refused_with_21211(sandbox, number):
    with pytest.raises(TwilioRestException) as refused:
        twilio_client().messages.create(to=number, from_=settings.TWILIO_SMS_FROM, content_sid="HX" + "0" * 32)

    assert (refused.value.status, refused.value.code) == (400, 21211)
    assert sandbox.messages()[0]["status"] == "refused"


def test_a_message_without_body_or_template_is_refused(sandbox):
    with pytest.raises(TwilioRestException) as refused:
        twilio_client().messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM)

    assert refused.value.code == 21602


def test_wrong_credentials_are_refused_with_401(sandbox):
    wrong = Client(
        settings.TWILIO_ACCOUNT_SID, "not-the-token", http_client=BaseUrlHttpClient(settings.TWILIO_API_BASE, timeout=5)
    )

    with pytest.raises(TwilioRestException) as refused:
        wrong.messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi")

    assert (refused.value.status, refused.value.code) == (401, 20003)
    assert sandbox.messages() == []


def test_another_account_is_not_found(sandbox):
    client = twilio_client()
    with pytest.raises(TwilioRestException) as refused:
        client.api.v2010.accounts("AC" + "1" * 32).messages.create(
            to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Hi"
        )

    assert (refused.value.status, refused.value.code) == (404, 20404)
