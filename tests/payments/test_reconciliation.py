"""A lost webhook and a closed browser: reconciliation asks Razorpay about unpaid orders and
confirms what was paid."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments import tasks
from payments.models import Payment
from tests.payments.conftest import events, messages, pay

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_webhooks(sandbox, settings):
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = ""  # Razorpay's webhooks never arrive
    return sandbox


def test_the_command_confirms_a_paid_order_whose_webhook_never_came(no_webhooks, start_checkout, capsys):
    booking, payment = start_checkout()
    unpaid, unpaid_payment = start_checkout(hour=11, name="Ravi Kumar", phone="+91 91234 56789", email="")
    pay(no_webhooks, payment.order_id)  # and the customer closes the browser: no verify-payment either

    call_command("reconcile_payments")  # by default only orders older than a few minutes
    booking.refresh_from_db()
    assert booking.status == "awaiting_payment"

    call_command("reconcile_payments", "--after-minutes", "0")

    assert "1 payment(s) updated." in capsys.readouterr().out
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert (booking.status, payment.status) == ("confirmed", "captured")
    assert messages(booking) == [("confirmed", "sms"), ("payment_received", "sms")]
    unpaid.refresh_from_db()
    assert unpaid.status == "awaiting_payment" and Payment.objects.get(pk=unpaid_payment.pk).status == "created"
    assert Payment.objects.get(pk=unpaid_payment.pk).reconciled_at is not None

    call_command("reconcile_payments", "--after-minutes", "0")  # again: nothing more
    assert events(booking) == [("", "awaiting_payment"), ("awaiting_payment", "confirmed")]


def test_the_periodic_task_takes_orders_older_than_the_setting(no_webhooks, start_checkout, settings):
    settings.PAYMENTS_RECONCILE_AFTER_MINUTES = 5
    booking, payment = start_checkout()
    pay(no_webhooks, payment.order_id)
    assert tasks.reconcile_payments() == 0

    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    assert tasks.reconcile_payments() == 1
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_razorpay_down_during_reconciliation_changes_nothing_and_is_retried(no_webhooks, start_checkout):
    booking, payment = start_checkout()
    pay(no_webhooks, payment.order_id)
    no_webhooks.set_faults(razorpay={"failure_rate": 1, "failure_statuses": [500]})

    call_command("reconcile_payments", "--after-minutes", "0")
    booking.refresh_from_db()
    assert booking.status == "awaiting_payment"

    no_webhooks.set_faults(razorpay={})
    call_command("reconcile_payments", "--after-minutes", "0")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
