"""Identifiers shaped like each provider's, so that code which stores or checks them sees real-looking ones."""

import secrets
import string
import uuid

BASE62 = string.digits + string.ascii_letters


def twilio_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


def razorpay_id(prefix: str) -> str:
    """`order_`, `pay_`, `rfnd_`, `evt_` followed by 14 base62 characters, as Razorpay makes them."""
    return f"{prefix}_" + "".join(secrets.choice(BASE62) for _ in range(14))


def postmark_message_id() -> str:
    return str(uuid.uuid4())


# Named functions, not lambdas: migrations refer to model field defaults by import path.
def new_order_id() -> str:
    return razorpay_id("order")


def new_payment_id() -> str:
    return razorpay_id("pay")


def new_refund_id() -> str:
    return razorpay_id("rfnd")
