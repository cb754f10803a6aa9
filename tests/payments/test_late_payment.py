"""A payment after the hold lapsed: confirmed if the place is still free, else refunded once
in full and the customer told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import Booking
from payments import tasks
from payments.models import Payment, Refund
from tests.payments.conftest import assert_error, events, eventually, messages, pay, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lapsed(razorpay, start_checkout):
    """A booking whose hold lapsed and was expired by the task; its order still open at Razorpay."""
    booking, payment = start_checkout()
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_holds() == 1
    booking.refresh_from_db()
    return booking, payment


def test_a_late_payment_confirms_the_booking_when_the_place_is_still_free(razorpay, lapsed):
    booking, payment = lapsed

    response = verify(pay(razorpay, payment.order_id))

    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert events(booking)[-2:] == [("awaiting_payment", "expired"), ("expired", "confirmed")]
    assert messages(booking) == [("confirmed", "sms"), ("hold_expired", "sms"), ("payment_received", "sms")]
    assert not Refund.objects.exists()


def test_a_late_payment_for_a_place_taken_is_refunded_once_and_the_customer_told(razorpay, lapsed, start_checkout):
    booking, payment = lapsed
    other, _ = start_checkout(name="Ravi Kumar", phone="+91 91234 56789", email="")  # takes the freed place

    result = pay(razorpay, payment.order_id)  # the webhooks arrive first and decide the refund
    refund = eventually(lambda: Refund.objects.filter(booking=booking).first())
    late = verify(result)

    assert_error(late, 409, "hold_expired")
    assert "refunded in full" in late.json()["detail"]
    assert (refund.reason, refund.amount, refund.status) == ("place_taken", 50000, "queued")
    tasks.send_refund(refund.pk)
    tasks.send_refund(refund.pk)  # a task delivered twice
    tasks.sweep_refunds()

    refund.refresh_from_db()
    assert refund.status == "processed" and refund.provider_refund_id.startswith("rfnd_")
    [at_razorpay] = razorpay.payments(order_id=payment.order_id)["refunds"]
    assert (at_razorpay["id"], at_razorpay["amount"]) == (refund.provider_refund_id, 50000)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", 50000)
    booking.refresh_from_db()
    assert booking.status == "expired"
    eventually(lambda: razorpay.webhooks(event="refund.processed"))  # changes nothing more
    assert verify(result).status_code == 409  # asked again: the same answer, no second refund
    assert Refund.objects.filter(booking=booking).count() == 1
    assert messages(booking) == [("hold_expired", "sms"), ("refunded", "sms")]
    other.refresh_from_db()
    assert other.status == "awaiting_payment" and Payment.objects.get(booking=other).status == "created"
