"""Channels: how a rendered message leaves. One small interface, chosen by settings.

    NOTIFICATION_CHANNELS = {"sms": "notifications.channels.twilio.SmsChannel", ...}

`send` returns the provider's message id, or raises TransportError saying whether
trying again later could help (permanent=False) or not (permanent=True).
"""

from django.conf import settings
from django.utils.module_loading import import_string

from ..rendering import Rendered


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.permanent = permanent


class Channel:
    def send(self, recipient: str, message: Rendered) -> str:
        raise NotImplementedError


def channel_for(name: str) -> Channel:
    return import_string(settings.NOTIFICATION_CHANNELS[name])()
