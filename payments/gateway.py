"""The payment provider behind one small interface, chosen by settings.PAYMENT_GATEWAY.

Entities come back in Razorpay's shapes (dicts with id, amount, currency, status, ...),
the shapes the webhooks carry too, so that every report of a payment reaches the same
code. Every failure of a call is a ProviderError that says whether a retry may help; the
SDK's own exceptions never leave this module.

The razorpay SDK print()s on connection errors. Those lines go to the server's stdout
(never into a response); contextlib.redirect_stdout is not used because it swaps
sys.stdout for the whole process, which threads of a web server would trip over.
"""

import razorpay
import requests
from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from .razorpay_client import razorpay_client


class ProviderError(Exception):
    """A call to the provider failed. `permanent`: it was refused and the same call will fail again."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Gateway:
    """What the payments app needs from a provider."""

    def create_order(self, *, amount: int, currency: str, receipt: str, notes: dict) -> dict:
        raise NotImplementedError

    def fetch_order_payments(self, order_id: str) -> list[dict]:
        raise NotImplementedError

    def refund(self, payment_id: str, *, amount: int, idempotency_key: str, notes: dict) -> dict:
        """Refund `amount` of a captured payment; the same key must give back the same refund."""
        raise NotImplementedError

    def payment_signature_valid(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        raise NotImplementedError

    def webhook_signature_valid(self, body: str, signature: str) -> bool:
        raise NotImplementedError


class RazorpayGateway(Gateway):
    def create_order(self, *, amount: int, currency: str, receipt: str, notes: dict) -> dict:
        # Captured as soon as the customer pays, whatever the account's capture settings: a
        # booking is settled by captured money, and checkout_verify relies on it.
        data = {"amount": amount, "currency": currency, "receipt": receipt, "notes": notes, "payment_capture": 1}
        return self._call(lambda client: client.order.create(data))

    def fetch_order_payments(self, order_id: str) -> list[dict]:
        return self._call(lambda client: client.order.payments(order_id)).get("items", [])

    def refund(self, payment_id: str, *, amount: int, idempotency_key: str, notes: dict) -> dict:
        # payment.refund is defined twice in the SDK; the one that wins is (payment_id, data).
        headers = {"X-Refund-Idempotency": idempotency_key}
        data = {"amount": amount, "notes": notes}
        return self._call(lambda client: client.payment.refund(payment_id, data, headers=headers))

    def payment_signature_valid(self, *, order_id: str, payment_id: str, signature: str) -> bool:
        parameters = {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
        try:
            return razorpay_client().utility.verify_payment_signature(parameters)
        except razorpay.errors.SignatureVerificationError:
            return False

    def webhook_signature_valid(self, body: str, signature: str) -> bool:
        try:
            return razorpay_client().utility.verify_webhook_signature(body, signature, settings.RAZORPAY_WEBHOOK_SECRET)
        except razorpay.errors.SignatureVerificationError:
            return False

    def _call(self, request):
        if connection.in_atomic_block:
            # A provider call inside a transaction holds its locks for as long as the
            # provider takes, and its effect cannot be rolled back with it.
            raise RuntimeError("Razorpay must not be called inside a database transaction.")
        try:
            return request(razorpay_client())
        except requests.exceptions.Timeout as error:
            raise ProviderError(f"Razorpay did not answer in time: {error}") from error
        except requests.exceptions.JSONDecodeError as error:  # an HTML error page from a proxy, say
            raise ProviderError("Razorpay answered with something that is not JSON.") from error
        except requests.exceptions.RequestException as error:
            raise ProviderError(f"Razorpay could not be reached: {error}") from error
        except (razorpay.errors.ServerError, razorpay.errors.GatewayError) as error:
            raise ProviderError(f"Razorpay failed: {error}") from error
        except razorpay.errors.BadRequestError as error:
            # Razorpay answers 429 as a BAD_REQUEST_ERROR too; that one passes.
            throttled = "too many requests" in str(error).lower()
            raise ProviderError(f"Razorpay refused the request: {error}", permanent=not throttled) from error


def gateway() -> Gateway:
    return import_string(settings.PAYMENT_GATEWAY)()
