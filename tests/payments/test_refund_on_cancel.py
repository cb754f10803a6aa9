"""Cancelling a paid booking refunds it through the SDK once, however often the refund is
sent: the task claims its row, and every call carries the row's X-Refund-Idempotency key."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from bookings.services import booking_cancel
from payments import tasks
from payments.gateway import gateway
from payments.models import Refund
from tests.api.conftest import client_with_token
from tests.payments.conftest import eventually, messages, pay, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def confirmed(razorpay, start_checkout):
    booking, payment = start_checkout()
    assert verify(pay(razorpay, payment.order_id, webhooks="none")).json()["status"] == "confirmed"
    booking.refresh_from_db()
    payment.refresh_from_db()
    return booking, payment


def refunds_at_razorpay(razorpay, payment) -> list[dict]:
    return razorpay.payments(order_id=payment.order_id)["refunds"]


def test_a_staff_cancellation_refunds_once_even_when_the_refund_is_sent_again(
    razorpay, confirmed, django_user_model, staff_groups
):
    booking, payment = confirmed
    manager = django_user_model.objects.create_user("manager", password="manager-secret-pass", is_staff=True)
    manager.groups.add(Group.objects.get(name="Manager"))  # cancelling a paid booking refunds it: managers only

    response = client_with_token(manager).post(f"/api/bookings/{booking.pk}/cancel", format="json")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    refund = Refund.objects.get(booking=booking)
    assert (refund.reason, refund.amount, refund.status) == ("cancelled", 50000, "queued")
    assert refunds_at_razorpay(razorpay, payment) == []  # nothing is sent inside the request
    for _ in range(2):
        tasks.send_refund(refund.pk)
        tasks.sweep_refunds()

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("processed", 1)
    [at_razorpay] = refunds_at_razorpay(razorpay, payment)
    assert at_razorpay["id"] == refund.provider_refund_id and at_razorpay["amount"] == 50000
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", 50000)
    eventually(lambda: razorpay.webhooks(event="refund.processed"))
    assert messages(booking) == [
        ("cancelled", "sms"),
        ("confirmed", "sms"),
        ("payment_received", "sms"),
        ("refunded", "sms"),
    ]


def test_a_refund_sent_again_after_a_worker_died_is_the_same_refund(razorpay, confirmed, settings):
    booking, payment = confirmed
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = ""  # the retry, not a refund webhook, records the refund here
    booking_cancel(booking, by_staff=True)
    refund = Refund.objects.get(booking=booking)
    # A worker claimed the refund and called Razorpay, then died before recording the answer.
    long_ago = timezone.now() - timedelta(hours=1)
    Refund.objects.filter(pk=refund.pk).update(status="sending", claimed_at=long_ago, attempts=1)
    notes = {"refund_id": str(refund.pk)}
    first = gateway().refund(
        payment.payment_id, amount=refund.amount, idempotency_key=refund.idempotency_key, notes=notes
    )

    assert tasks.sweep_refunds() == 1  # the stale claim is put back and enqueued
    assert tasks.sweep_refunds() == 0
    tasks.send_refund(refund.pk)
    tasks.send_refund(refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.provider_refund_id, refund.attempts) == ("processed", first["id"], 2)
    assert [r["id"] for r in refunds_at_razorpay(razorpay, payment)] == [first["id"]]
    assert messages(booking).count(("refunded", "sms")) == 1


def test_a_customer_cancelling_in_time_is_refunded(razorpay, confirmed):
    booking, payment = confirmed
    client = APIClient(headers={"X-Booking-Token": booking.access_token})

    assert client.post(f"/api/bookings/{booking.pk}/cancel").json()["status"] == "cancelled"

    refund = Refund.objects.get(booking=booking)
    tasks.send_refund(refund.pk)
    assert Refund.objects.get(pk=refund.pk).status == "processed"
    assert len(refunds_at_razorpay(razorpay, payment)) == 1


def test_a_transient_failure_is_retried_later_and_a_permanent_one_recorded(razorpay, confirmed, settings):
    booking, payment = confirmed
    booking_cancel(booking, by_staff=True)
    refund = Refund.objects.get(booking=booking)
    razorpay.set_faults(razorpay={"failure_rate": 1, "failure_statuses": [503]})

    tasks.send_refund(refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("queued", 1) and "Razorpay" in refund.last_error
    assert refund.next_attempt_at > timezone.now()  # backs off
    assert tasks.sweep_refunds() == 0  # not due yet
    razorpay.set_faults(razorpay={})
    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=timezone.now())
    assert tasks.sweep_refunds() == 1
    tasks.send_refund(refund.pk)
    assert Refund.objects.get(pk=refund.pk).status == "processed"

    # Refused by Razorpay (no such payment): failed at once, for staff to see.
    Refund.objects.filter(pk=refund.pk).update(status="queued", provider_payment_id="pay_NoSuchPayment1")
    tasks.send_refund(refund.pk)
    refund.refresh_from_db()
    assert refund.status == "failed" and "does not exist" in refund.last_error
    assert len(refunds_at_razorpay(razorpay, payment)) == 1


def test_cancelling_an_unpaid_booking_refunds_nothing(razorpay, start_checkout):
    booking, _ = start_checkout()
    booking_cancel(booking, by_staff=True)
    assert not Refund.objects.exists()
