"""The Razorpay client, built from settings at call time.

RAZORPAY_API_BASE is the host part only (https://api.razorpay.com, or the sandbox's
.../sandbox/razorpay): the SDK appends /v1/... itself. It has no default timeout, so
every request gets RAZORPAY_TIMEOUT unless the call passes its own.
"""

import importlib.metadata

import razorpay
import requests
from django.conf import settings

from bookings_project.provider_http import per_thread, settle_environment


class TimeoutSession(requests.Session):
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


class Client(razorpay.Client):
    """The SDK's client, reading its own version once: it looks it up in the installed
    packages' metadata for the User-Agent of every call (0.15 ms, a scan of site-packages)."""

    version = importlib.metadata.version("razorpay")

    def _get_version(self):
        return self.version


def razorpay_client() -> razorpay.Client:
    """This thread's client (bookings_project/provider_http.py): one session, and one
    connection to the provider, for all its calls."""
    config = (
        settings.RAZORPAY_API_BASE,
        settings.RAZORPAY_TIMEOUT,
        settings.RAZORPAY_KEY_ID,
        settings.RAZORPAY_KEY_SECRET,
    )
    return per_thread("razorpay", config, _new_client)


def _new_client() -> razorpay.Client:
    base_url = settings.RAZORPAY_API_BASE.rstrip("/").removesuffix("/v1")  # the SDK's paths start with /v1
    return Client(
        session=settle_environment(TimeoutSession(settings.RAZORPAY_TIMEOUT), base_url),
        auth=(settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET),
        base_url=base_url,
    )
