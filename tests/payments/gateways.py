"""Gateways for tests that exercise the payment endpoints but not the provider (settings.PAYMENT_GATEWAY)."""

import secrets

from payments.gateway import RazorpayGateway


class OfflineOrdersGateway(RazorpayGateway):
    """Razorpay whose orders are made up here, without a server: the API's contract, and no
    502 for want of a sandbox. Everything else is the real adapter."""

    def create_order(self, *, amount: int, currency: str, receipt: str, notes: dict) -> dict:
        return {"id": f"order_{secrets.token_hex(7)}", "amount": amount, "currency": currency, "status": "created"}
