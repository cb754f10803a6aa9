"""verify-payment refuses what it cannot trust, and changes nothing when it does."""

import pytest

from tests.payments.conftest import assert_error, events, messages, pay, verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid(razorpay, start_checkout):
    """A booking awaiting payment whose order the customer has paid; no webhooks."""
    booking, payment = start_checkout()
    return booking, payment, pay(razorpay, payment.order_id, webhooks="none")


def unchanged(booking, payment):
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert (payment.status, payment.payment_id) == ("created", None)
    assert booking.status == "awaiting_payment"
    assert events(booking) == [("", "awaiting_payment")] and messages(booking) == []


def test_a_tampered_signature_is_refused_and_changes_nothing(paid):
    booking, payment, result = paid
    tampered = result["razorpay_signature"][:-1] + ("0" if result["razorpay_signature"][-1] != "0" else "1")

    assert_error(verify({**result, "razorpay_signature": tampered}), 400, "invalid_signature")
    # A real signature of another payment id does not pass either.
    assert_error(verify({**result, "razorpay_payment_id": "pay_SomeoneElse0001"}), 400, "invalid_signature")
    unchanged(booking, payment)


def test_an_order_that_is_not_ours_is_refused(paid):
    _, _, result = paid
    assert_error(verify({**result, "razorpay_order_id": "order_NotOurs000001"}), 400, "unknown_order")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"razorpay_signature": ""}, "razorpay_signature"),
        ({"razorpay_signature": "not hex"}, "razorpay_signature"),
        ({"razorpay_order_id": "order_\x00"}, "razorpay_order_id"),
        ({"razorpay_payment_id": None}, "razorpay_payment_id"),
    ],
)
def test_malformed_fields_are_field_errors(paid, change, field):
    booking, payment, result = paid
    assert_error(verify({**result, **change}), 400, "invalid", {field: ""})
    unchanged(booking, payment)


def test_a_paid_booking_is_confirmed_while_razorpay_cannot_be_reached(razorpay, paid):
    """The signature is the provider's word: a customer who has paid is not kept waiting on
    (or told to come back because of) Razorpay's API."""
    booking, payment, result = paid
    razorpay.set_faults(razorpay={"failure_rate": 1, "failure_statuses": [503]})

    assert verify(result).json()["status"] == "confirmed"

    payment.refresh_from_db()
    assert (payment.status, payment.payment_id, payment.amount) == ("captured", result["razorpay_payment_id"], 50000)
    assert events(booking) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]
    assert messages(booking) == [("confirmed", "sms"), ("payment_received", "sms")]
