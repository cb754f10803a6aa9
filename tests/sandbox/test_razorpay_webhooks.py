"""Webhooks after a checkout payment: signed, with event ids; re-sent or out of order on request."""

import pytest
import requests
from django.conf import settings

from payments.razorpay_client import razorpay_client
from tests.sandbox.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pay(sandbox, receiver, settings):
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = f"{receiver.url}/payments/razorpay/webhook"

    def pay(**fields):
        order = razorpay_client().order.create({"amount": 50000, "currency": "INR"})
        url = f"{sandbox.base}/razorpay/checkout/{order['id']}/pay"
        return requests.post(url, data=fields, timeout=10).json()

    return pay


def test_payment_captured_then_order_paid_arrive_signed(pay, receiver):
    result = pay()

    captured, paid = receiver.wait_for(2)
    client = razorpay_client()
    for webhook, event in ((captured, "payment.captured"), (paid, "order.paid")):
        assert webhook.path == "/payments/razorpay/webhook"
        assert webhook.json["event"] == event
        assert webhook.headers["X-Razorpay-Event-Id"].startswith("evt_")
        signature = webhook.headers["X-Razorpay-Signature"]
        assert client.utility.verify_webhook_signature(
            webhook.body.decode(), signature, settings.RAZORPAY_WEBHOOK_SECRET
        )
    assert captured.headers["X-Razorpay-Event-Id"] != paid.headers["X-Razorpay-Event-Id"]
    payment = captured.json["payload"]["payment"]["entity"]
    assert (payment["id"], payment["order_id"], payment["status"]) == (
        result["razorpay_payment_id"],
        result["razorpay_order_id"],
        "captured",
    )
    assert paid.json["payload"]["order"]["entity"]["status"] == "paid"


def test_a_webhook_is_sent_again_byte_for_byte_on_request(pay, receiver, sandbox):
    pay()
    first, _ = receiver.wait_for(2)
    delivery = eventually(lambda: sandbox.webhooks(event="payment.captured", status="delivered"))[0]

    again = requests.post(f"{sandbox.base}/api/webhooks/{delivery['id']}/resend", timeout=10)

    assert again.status_code == 200 and again.json()["attempts"] == 2
    resent = receiver.wait_for(3)[2]
    assert (resent.body, resent.headers["X-Razorpay-Event-Id"]) == (first.body, first.headers["X-Razorpay-Event-Id"])


def test_webhooks_come_out_of_order_on_request(pay, receiver, sandbox):
    result = pay(webhooks="reversed")
    assert [w.json["event"] for w in receiver.wait_for(2)] == ["order.paid", "payment.captured"]

    sent = requests.post(
        f"{sandbox.base}/api/webhooks/",
        json={"payment_id": result["razorpay_payment_id"], "events": ["payment.captured", "payment.captured"]},
        timeout=10,
    )

    assert sent.status_code == 200 and sent.json()["count"] == 2
    assert [w.json["event"] for w in receiver.wait_for(4)[2:]] == ["payment.captured", "payment.captured"]
    unknown = {"payment_id": result["razorpay_payment_id"], "events": ["refund.processed"]}
    assert requests.post(f"{sandbox.base}/api/webhooks/", json=unknown, timeout=10).status_code == 400


def test_a_failed_delivery_is_recorded_and_the_payment_stands(sandbox, settings):
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = "http://127.0.0.1:9/payments/razorpay/webhook"  # nothing listens
    order = razorpay_client().order.create({"amount": 50000, "currency": "INR"})

    response = requests.post(f"{sandbox.base}/razorpay/checkout/{order['id']}/pay", timeout=10)

    assert response.status_code == 200
    failed = eventually(lambda: len(sandbox.webhooks(status="failed")) == 2 and sandbox.webhooks(status="failed"))
    assert {d["event"] for d in failed} == {"payment.captured", "order.paid"}
    assert all("ConnectionError" in d["error"] for d in failed)
    assert razorpay_client().order.fetch(order["id"])["status"] == "paid"


def test_a_failed_payment_sends_payment_failed(pay, receiver, sandbox):
    order = razorpay_client().order.create({"amount": 50000, "currency": "INR"})
    requests.post(f"{sandbox.base}/razorpay/checkout/{order['id']}/fail", timeout=10)

    [webhook] = receiver.wait_for(1)
    assert webhook.json["event"] == "payment.failed"
    assert webhook.json["payload"]["payment"]["entity"]["status"] == "failed"


def test_a_refund_sends_refund_created_then_processed(pay, receiver):
    result = pay(webhooks="none")
    refund = razorpay_client().payment.refund(result["razorpay_payment_id"], {"amount": 10000})

    created, processed = receiver.wait_for(2)
    assert [created.json["event"], processed.json["event"]] == ["refund.created", "refund.processed"]
    assert processed.json["payload"]["refund"]["entity"]["id"] == refund["id"]
    assert processed.json["payload"]["payment"]["entity"]["amount_refunded"] == 10000
