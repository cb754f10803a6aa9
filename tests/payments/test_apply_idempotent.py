"""payment_apply, the one function every report of a payment reaches: forward only, applied once."""

import pytest

from bookings.services import booking_cancel, booking_create
from payments.errors import AmountMismatch, UnknownOrder
from payments.models import Payment, Refund
from payments.refunds import refund_reported
from payments.services import payment_apply
from tests.conftest import local
from tests.payments.conftest import events, messages


@pytest.fixture
def payment(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["sms"], pay_online=True, **customer)
    return Payment.objects.create(booking=booking, order_id="order_Test00000001", amount=50000, currency="INR")


def entity(status: str, payment_id: str = "pay_Test00000001", **changes) -> dict:
    return {
        "id": payment_id,
        "order_id": "order_Test00000001",
        "amount": 50000,
        "currency": "INR",
        "status": status,
        "captured": status in ("captured", "refunded"),
        **changes,
    }


def apply(report: dict) -> Payment:
    return payment_apply(order_id="order_Test00000001", entity=report, source="test")


def test_authorized_then_captured_confirms_once(payment):
    assert apply(entity("authorized")).status == "authorized"
    payment.booking.refresh_from_db()
    assert payment.booking.status == "awaiting_payment"  # not paid until captured

    for _ in range(3):
        assert apply(entity("captured")).status == "captured"
    apply(entity("authorized"))  # late: overtaken
    apply(entity("failed", "pay_EarlierAttempt1"))  # an earlier attempt's failure, arriving last

    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("captured", "pay_Test00000001")
    assert events(payment.booking) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]
    assert messages(payment.booking) == [("confirmed", "sms"), ("payment_received", "sms")]


def test_where_staff_confirm_paid_bookings_a_payment_makes_it_pending(payment):
    payment.booking.service.auto_confirm_paid = False
    payment.booking.service.save()

    apply(entity("captured"))

    payment.booking.refresh_from_db()
    assert payment.booking.status == "pending"
    assert messages(payment.booking) == [("payment_received", "sms")]


def test_a_second_payment_of_a_paid_order_is_refunded_once(payment):
    apply(entity("captured"))
    for _ in range(2):
        apply(entity("captured", "pay_SecondPayment1"))

    [refund] = Refund.objects.all()
    assert (refund.reason, refund.provider_payment_id, refund.amount) == ("duplicate", "pay_SecondPayment1", 50000)
    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("captured", "pay_Test00000001")


def test_a_payment_for_a_cancelled_booking_is_refunded(payment):
    booking_cancel(payment.booking, by_staff=True)
    apply(entity("captured"))
    apply(entity("captured"))

    [refund] = Refund.objects.all()
    assert (refund.reason, refund.amount, refund.status) == ("cancelled", 50000, "queued")


def test_another_amount_or_currency_changes_nothing(payment):
    with pytest.raises(AmountMismatch):
        apply(entity("captured", amount=100))
    with pytest.raises(AmountMismatch):
        apply(entity("captured", currency="USD"))
    payment.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("created", None)


def test_an_order_that_is_not_ours_is_refused(payment):
    with pytest.raises(UnknownOrder):
        payment_apply(order_id="order_Unknown00001", entity=entity("captured"), source="test")


def test_a_refund_made_in_razorpays_dashboard_is_recorded_and_the_customer_told(payment):
    apply(entity("captured"))
    report = {"id": "rfnd_Dashboard0001", "payment_id": "pay_Test00000001", "amount": 20000, "currency": "INR"}

    assert refund_reported({**report, "status": "processed"}) == f"refund {Refund.objects.get().pk} accepted"
    assert refund_reported({**report, "status": "processed"}).endswith("already known")

    refund = Refund.objects.get()
    assert (refund.reason, refund.status, refund.amount) == ("provider", "processed", 20000)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", 20000)
    assert messages(payment.booking).count(("refunded", "sms")) == 1
