"""Refunds through the SDK; the same X-Refund-Idempotency key refunds once."""

import pytest
import razorpay
import requests

from payments.razorpay_client import razorpay_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def payment_id(sandbox):
    order = razorpay_client().order.create({"amount": 50000, "currency": "INR"})
    paid = requests.post(f"{sandbox.base}/razorpay/checkout/{order['id']}/pay", timeout=10).json()
    return paid["razorpay_payment_id"]


def test_a_refund_repeated_with_the_same_key_refunds_once(sandbox, payment_id):
    client = razorpay_client()
    headers = {"X-Refund-Idempotency": "cancel-BK-ABC123"}

    first = client.payment.refund(payment_id, {"amount": 50000}, headers=dict(headers))
    second = client.payment.refund(payment_id, {"amount": 50000}, headers=dict(headers))

    assert first["id"].startswith("rfnd_") and first["status"] == "processed"
    assert second == first
    payment = client.payment.fetch(payment_id)
    assert (payment["status"], payment["amount_refunded"], payment["refund_status"]) == ("refunded", 50000, "full")
    assert [r["id"] for r in sandbox.payments()["refunds"]] == [first["id"]]


def test_partial_refunds_add_up_to_the_payment_and_no_more(sandbox, payment_id):
    client = razorpay_client()
    client.payment.refund(payment_id, {"amount": 20000})
    assert client.payment.fetch(payment_id)["refund_status"] == "partial"

    with pytest.raises(razorpay.errors.BadRequestError, match="greater than amount captured"):
        client.payment.refund(payment_id, {"amount": 40000})
    rest = client.payment.refund(payment_id, {})  # no amount: what is left

    assert rest["amount"] == 30000
    assert client.payment.fetch(payment_id)["status"] == "refunded"


def test_a_failed_payment_cannot_be_refunded(sandbox):
    order = razorpay_client().order.create({"amount": 50000, "currency": "INR"})
    failed = requests.post(f"{sandbox.base}/razorpay/checkout/{order['id']}/fail", timeout=10).json()

    with pytest.raises(razorpay.errors.BadRequestError, match="Only captured payments"):
        razorpay_client().payment.refund(failed["error"]["metadata"]["payment_id"], {})
