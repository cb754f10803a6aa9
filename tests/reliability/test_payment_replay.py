"""Payments under replay: verify-payment and every webhook sent 10 times, shuffled and
concurrently: one capture, one confirmation, one set of messages; a refund never twice."""

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from rest_framework.authtoken.models import Token

from payments import tasks
from payments.models import Payment, Refund
from tests.payments.conftest import (  # noqa: F401  (fixtures: a paid service, the sandbox's Razorpay)
    VERIFY_PAYMENT,
    events,
    messages,
    pay,
    razorpay,
    send_webhooks,
    service,
    start_checkout,
)
from tests.reliability.conftest import figure
from tests.sandbox.conftest import eventually, sandbox  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

REPLAYS = 10
WEBHOOKS = ["payment.captured", "order.paid"]


def concurrently(calls: list, workers: int = 6) -> list:
    random.Random(42).shuffle(calls)

    def run(call):
        try:
            return call()
        finally:
            connection.close()  # this thread's, if it opened one

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, calls))


def test_verify_and_webhooks_replayed_10_times_concurrently(live_server, razorpay, start_checkout):  # noqa: F811
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")

    def verify():
        response = requests.post(f"{live_server.url}{VERIFY_PAYMENT}", json=result, timeout=30)
        return response.status_code, response.json().get("status")

    def webhook(event):
        return lambda: send_webhooks(razorpay, result["razorpay_payment_id"], [event])

    answers = concurrently([verify] * REPLAYS + [webhook(e) for e in WEBHOOKS for _ in range(REPLAYS)])

    assert [a for a in answers if isinstance(a, tuple)] == [(200, "confirmed")] * REPLAYS
    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("captured", result["razorpay_payment_id"])
    assert events(booking) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]
    assert messages(booking) == [("confirmed", "sms"), ("payment_received", "sms")]
    assert Payment.objects.filter(booking=booking).count() == 1
    assert not razorpay.payments(order_id=payment.order_id)["refunds"]
    figure("payment_replay", "1 capture, 1 confirmation, 2 messages", f"{REPLAYS * 3} replays, 6 at a time, shuffled")


def test_a_cancellation_and_its_refund_replayed_refund_once(live_server, razorpay, start_checkout, django_user_model):  # noqa: F811
    booking, payment = start_checkout()
    result = pay(razorpay, payment.order_id, webhooks="none")
    assert requests.post(f"{live_server.url}{VERIFY_PAYMENT}", json=result, timeout=30).status_code == 200
    manager = django_user_model.objects.create_user("manager", password="pw", is_staff=True, is_superuser=True)
    headers = {"Authorization": f"Token {Token.objects.create(user=manager).key}"}

    def cancel():
        url = f"{live_server.url}/api/bookings/{booking.pk}/cancel"
        return requests.post(url, headers=headers, timeout=30).status_code

    statuses = concurrently([cancel] * REPLAYS)
    assert sorted(statuses) == [200] + [409] * (REPLAYS - 1)
    refund = Refund.objects.get(booking=booking)

    concurrently([lambda: tasks.send_refund(refund.pk)] * REPLAYS + [tasks.sweep_refunds] * 3)
    eventually(lambda: razorpay.webhooks(event="refund.processed"), timeout=10)

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("processed", 1)
    assert len(razorpay.payments(order_id=payment.order_id)["refunds"]) == 1
    assert Refund.objects.filter(booking=booking).count() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", payment.amount)
    assert messages(booking).count(("refunded", "sms")) == 1
    figure("refund_replay", "1 refund at Razorpay", f"{REPLAYS} cancels and {REPLAYS} refund sends at once")
