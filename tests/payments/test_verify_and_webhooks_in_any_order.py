"""verify-payment and the webhooks reach one idempotent function: whatever arrives first and
however often, one capture, one confirmation, one set of messages."""

import pytest
import requests

from payments.models import Payment, WebhookEvent
from tests.payments.conftest import events, eventually, messages, pay, send_webhooks, verify

pytestmark = pytest.mark.django_db(transaction=True)

PAYMENT_WEBHOOKS = ["payment.captured", "order.paid"]


def verify_three_times(result, booking):
    for _ in range(3):
        response = verify(result)
        assert response.status_code == 200, response.json()
        assert (response.json()["id"], response.json()["status"]) == (booking.pk, "confirmed")


def webhooks_three_times(razorpay, result):
    for _ in range(3):
        send_webhooks(razorpay, result["razorpay_payment_id"], PAYMENT_WEBHOOKS)
    # Razorpay's own retries of one delivery carry the same event id: processed once.
    delivery = razorpay.webhooks(event="order.paid")[0]
    again = requests.post(f"{razorpay.base}/api/webhooks/{delivery['id']}/resend", timeout=10).json()
    assert again["response_status"] == 200


@pytest.mark.parametrize("webhooks_first", [True, False], ids=["webhooks-first", "verify-first"])
def test_one_capture_one_confirmation_one_set_of_messages(razorpay, start_checkout, webhooks_first):
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")

    if webhooks_first:
        webhooks_three_times(razorpay, result)
        captured_at = Payment.objects.get(pk=payment.pk).captured_at
        verify_three_times(result, booking)
    else:
        verify_three_times(result, booking)
        captured_at = Payment.objects.get(pk=payment.pk).captured_at
        webhooks_three_times(razorpay, result)

    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("captured", result["razorpay_payment_id"])
    assert payment.captured_at == captured_at  # captured once, never again
    assert events(booking) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]
    assert messages(booking) == [("confirmed", "sms"), ("payment_received", "sms")]
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 6
    assert WebhookEvent.objects.filter(deliveries=2).count() == 1
    assert not razorpay.payments(order_id=payment.order_id)["refunds"]


def test_reversed_webhooks_and_a_late_failure_do_not_move_a_payment_back(razorpay, start_checkout):
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")

    send_webhooks(razorpay, result["razorpay_payment_id"], ["order.paid", "payment.captured"])
    send_webhooks(razorpay, result["razorpay_payment_id"], ["payment.authorized"])  # overtaken: ignored

    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, booking.status) == ("captured", "confirmed")
    assert messages(booking) == [("confirmed", "sms"), ("payment_received", "sms")]


def test_a_failed_attempt_then_a_payment_confirms_the_booking(razorpay, start_checkout):
    _, payment = start_checkout()
    url = f"{razorpay.base}/razorpay/checkout/{payment.order_id}/fail"
    assert requests.post(url, timeout=10).status_code == 200  # the bank declines; payment.failed is sent

    failed = eventually(lambda: Payment.objects.filter(pk=payment.pk, status="failed").first())
    assert failed.payment_id
    result = pay(razorpay, payment.order_id)  # the customer tries again

    assert verify(result).json()["status"] == "confirmed"
    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("captured", result["razorpay_payment_id"])
