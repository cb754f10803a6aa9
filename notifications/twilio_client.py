"""The Twilio client, built from settings at call time.

The SDK has no base-URL option, so requests for https://api.twilio.com go to
TWILIO_API_BASE instead: the provider sandbox in development, api.twilio.com itself
in production (where the rewrite changes nothing).
"""

from django.conf import settings
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bookings_project.provider_http import per_thread, settle_environment

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


def twilio_client() -> Client:
    """This thread's client (bookings_project/provider_http.py)."""
    config = (
        settings.TWILIO_API_BASE,
        settings.TWILIO_TIMEOUT,
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
    )
    return per_thread("twilio", config, _new_client)


def _new_client() -> Client:
    # The SDK waits forever by default; a worker must not.
    http_client = BaseUrlHttpClient(settings.TWILIO_API_BASE, timeout=settings.TWILIO_TIMEOUT)
    settle_environment(http_client.session, settings.TWILIO_API_BASE)
    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http_client)
