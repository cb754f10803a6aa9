"""HTTP Basic credentials, as Twilio (account SID, auth token) and Razorpay (key id, secret) take them."""

import base64
import binascii

from django.utils.crypto import constant_time_compare


def basic_credentials(request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, colon, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if colon else None


def has_credentials(request, user: str, password: str) -> bool:
    given = basic_credentials(request)
    return given is not None and constant_time_compare(given[0], user) and constant_time_compare(given[1], password)
