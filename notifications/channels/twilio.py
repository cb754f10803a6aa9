"""SMS and WhatsApp through the Twilio SDK."""

import json

import requests
from django.conf import settings
from django.urls import reverse
from twilio.base.exceptions import TwilioRestException

from ..rendering import Rendered
from ..twilio_client import twilio_client
from . import Channel, TransportError


def status_callback_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("notifications:twilio-status")


def _create(**params) -> str:
    try:
        message = twilio_client().messages.create(status_callback=status_callback_url(), **params)
    except TwilioRestException as error:
        # 429 and 5xx may pass; any other 4xx (21211 invalid number, 63016 outside the
        # WhatsApp session window, ...) will be refused again.
        transient = error.status == 429 or error.status >= 500
        message = f"Twilio {error.status} (code {error.code}): {error.msg}"
        raise TransportError(message, permanent=not transient) from error
    except requests.RequestException as error:
        raise TransportError(f"Twilio unreachable: {error.__class__.__name__}", permanent=False) from error
    return message.sid


class SmsChannel(Channel):
    def send(self, recipient: str, message: Rendered) -> str:
        return _create(to=recipient, from_=settings.TWILIO_SMS_FROM, body=message.text)


class WhatsAppChannel(Channel):
    """Business-initiated WhatsApp messages must use an approved template (ContentSid).
    Without one for the event the text goes free-form, which WhatsApp accepts only
    inside a conversation the customer opened; outside it Twilio refuses it (63016)
    and the message falls back to SMS."""

    def send(self, recipient: str, message: Rendered) -> str:
        content_sid = settings.WHATSAPP_TEMPLATES.get(message.event)
        content = (
            {"content_sid": content_sid, "content_variables": json.dumps(message.variables)}
            if content_sid
            else {"body": message.text}
        )
        return _create(to=f"whatsapp:{recipient}", from_=settings.TWILIO_WHATSAPP_FROM, **content)
