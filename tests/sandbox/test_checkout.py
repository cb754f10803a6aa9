"""The checkout stand-in: the tester pays or fails; what it returns passes the SDK's signature check."""

import pytest
import razorpay
import requests
from django.conf import settings

from payments.razorpay_client import razorpay_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(sandbox):
    return razorpay_client().order.create({"amount": 50000, "currency": "INR", "receipt": "BK-ABC123"})


def checkout(sandbox, order, outcome, **fields):
    url = f"{sandbox.base}/razorpay/checkout/{order['id']}/{outcome}"
    return requests.post(url, data={"key": settings.RAZORPAY_KEY_ID, **fields}, timeout=10)


def test_paying_returns_what_verify_payment_signature_accepts(sandbox, order):
    response = checkout(sandbox, order, "pay", email="asha@example.com", contact="+919876543210")

    assert response.status_code == 200
    result = response.json()
    assert set(result) == {"razorpay_payment_id", "razorpay_order_id", "razorpay_signature"}
    client = razorpay_client()
    assert client.utility.verify_payment_signature(result) is True
    with pytest.raises(razorpay.errors.SignatureVerificationError):
        client.utility.verify_payment_signature({**result, "razorpay_order_id": "order_someone_else"})

    payment = client.payment.fetch(result["razorpay_payment_id"])
    assert (payment["status"], payment["captured"], payment["amount"], payment["order_id"]) == (
        "captured",
        True,
        50000,
        order["id"],
    )
    assert payment["email"] == "asha@example.com"
    paid = client.order.fetch(order["id"])
    assert (paid["status"], paid["amount_paid"], paid["amount_due"], paid["attempts"]) == ("paid", 50000, 0, 1)
    assert client.order.payments(order["id"])["count"] == 1


def test_a_failed_payment_leaves_the_order_open_for_another_try(sandbox, order):
    failed = checkout(sandbox, order, "fail").json()["error"]

    assert (failed["code"], failed["reason"], failed["metadata"]["order_id"]) == (
        "BAD_REQUEST_ERROR",
        "payment_failed",
        order["id"],
    )
    client = razorpay_client()
    assert client.payment.fetch(failed["metadata"]["payment_id"])["status"] == "failed"
    assert client.order.fetch(order["id"])["status"] == "attempted"

    assert checkout(sandbox, order, "pay").status_code == 200
    assert client.order.fetch(order["id"])["status"] == "paid"


def test_a_paid_order_cannot_be_paid_again(sandbox, order):
    checkout(sandbox, order, "pay")

    again = checkout(sandbox, order, "pay")

    assert again.status_code == 400
    assert again.json()["error"]["description"] == "This order has already been paid."
    assert len(sandbox.payments(order_id=order["id"])["payments"]) == 1


def test_a_wrong_key_is_refused(sandbox, order):
    assert checkout(sandbox, order, "pay", key="rzp_test_other").status_code == 400


def test_the_checkout_page_offers_pay_and_fail_and_may_be_framed(sandbox, order):
    response = requests.get(
        f"{sandbox.base}/razorpay/checkout/{order['id']}/",
        params={"key": settings.RAZORPAY_KEY_ID, "name": "Demo Studio", "prefill[email]": "asha@example.com"},
        timeout=10,
    )

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers  # checkout.js shows it in an iframe
    for text in ("Demo Studio", "₹500.00", 'value="asha@example.com"', f"/checkout/{order['id']}/pay", "/fail"):
        assert text in response.text


def test_the_checkout_script_defines_razorpay(sandbox):
    response = requests.get(f"{sandbox.base}/razorpay/checkout.js", timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/javascript")
    for contract in ("window.Razorpay = Razorpay", "prototype.open", "prototype.on", "ondismiss", "payment.failed"):
        assert contract in response.text


def test_a_browser_posting_the_form_sees_the_result_page(sandbox, order):
    response = requests.post(
        f"{sandbox.base}/razorpay/checkout/{order['id']}/pay", headers={"Accept": "text/html"}, timeout=10
    )

    assert response.status_code == 200
    assert "razorpay_signature" in response.text and "<h1>Paid</h1>" in response.text
