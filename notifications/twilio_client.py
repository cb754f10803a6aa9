"""The Twilio client, built from settings at call time.

The SDK has no base-URL option, so requests for https://api.twilio.com go to
TWILIO_API_BASE instead: the provider sandbox in development, api.twilio.com itself
in production (where the rewrite changes nothing).
"""

import threading

from django.conf import settings
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_API = "https://api.twilio.com"


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's HTTP client sending the SDK's api.twilio.com requests to `api_base`."""

    def __init__(self, api_base: str, **kwargs):
        super().__init__(**kwargs)
        self.api_base = api_base.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self.api_base + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


_clients = threading.local()


def twilio_client() -> Client:
    """One client per thread and configuration, kept: its HTTP session keeps connections
    open instead of a new client, session and TCP connection per message."""
    config = (
        settings.TWILIO_API_BASE,
        settings.TWILIO_TIMEOUT,
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
    )
    if getattr(_clients, "config", None) != config:
        # The SDK waits forever by default; a worker must not.
        http_client = BaseUrlHttpClient(settings.TWILIO_API_BASE, timeout=settings.TWILIO_TIMEOUT)
        _clients.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)
        _clients.config = config
    return _clients.client
