"""The outbox with a real qcluster process and the sandbox: every message arrives, once."""

import time
from collections import Counter

import pytest
from django.db import transaction

from bookings.services import booking_create
from notifications.models import Notification
from notifications.services import sweep
from tests.conftest import local
from tests.processes import wait_for

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

Status = Notification.Status
DONE = {Status.SENT, Status.DELIVERED}


def book(service, day, n, **extra):
    """Booking number n, with its own phone number and email so its messages can be told apart."""
    return booking_create(
        service=service,
        start=local(day, 9 + n % 8),
        name=f"Customer {n}",
        phone=f"+9198765{n:05d}",
        email=f"customer{n}@example.com",
        **extra,
    )


def all_done(expected: int, *, sweeping: bool = False):
    """True once `expected` rows are sent or delivered and none is still in play."""
    if sweeping:
        sweep()
    statuses = list(Notification.objects.values_list("status", flat=True))
    return len(statuses) == expected and all(status in DONE for status in statuses)


def test_a_bookings_messages_arrive_once_per_channel_after_it_returns(qcluster, sandbox, service, tomorrow):
    sandbox.set_faults(twilio={"latency": "1"}, postmark={"latency": "1"})
    booking = book(service, tomorrow, 1)
    assert sandbox.accepted(since=booking.created_at.isoformat()) == []  # the booking did not wait for them

    wait_for(lambda: all_done(3), timeout=30, message="three messages sent")
    inbox = sandbox.accepted()
    assert sorted(m["channel"] for m in inbox) == ["email", "sms", "whatsapp"]
    by_channel = {m["channel"]: m for m in inbox}
    assert by_channel["sms"]["to"] == "+919876500001"
    assert booking.reference in by_channel["sms"]["body"]
    assert by_channel["whatsapp"]["to"] == "whatsapp:+919876500001"
    assert by_channel["whatsapp"]["content_variables"]["4"] == booking.reference
    assert by_channel["email"]["to"] == "customer1@example.com"
    assert booking.reference in by_channel["email"]["subject"]
    assert "<a href=" in by_channel["email"]["html"]
    # Each row keeps the provider's id of its own message (the receipts find it by that).
    kept = dict(booking.notifications.values_list("channel", "provider_message_id"))
    assert kept == {channel: message["sid"] for channel, message in by_channel.items()}
    # Twilio's status callbacks reach us and move the rows on.
    wait_for(
        lambda: (
            set(booking.notifications.filter(channel__in=["sms", "whatsapp"]).values_list("status", flat=True))
            == {Status.DELIVERED}
        ),
        timeout=15,
        message="Twilio's delivery receipts",
    )


def test_with_30_percent_transient_failures_every_message_is_sent_once(qcluster, sandbox, make_service, tomorrow):
    service = make_service(capacity=10)
    failing = {"failure_rate": 0.3, "failure_statuses": "500/503/429", "seed": 7}
    sandbox.set_faults(twilio=failing, postmark=failing)
    for n in range(10):
        book(service, tomorrow, n)

    wait_for(lambda: all_done(30, sweeping=True), timeout=90, interval=0.5, message="30 messages sent")
    sent = Counter((m["channel"], m["to"]) for m in sandbox.accepted())
    assert len(sent) == 30 and set(sent.values()) == {1}  # every message, once: none lost, none doubled
    assert Notification.objects.filter(attempts__gt=1).exists()  # the failures did happen, and were retried


def test_an_invalid_number_fails_at_once_with_the_reason(qcluster, sandbox, service, tomorrow):
    with transaction.atomic():
        booking = book(service, tomorrow, 1, channels=["sms"])
        booking.notifications.update(recipient="+1555")  # what phonenumbers let through and Twilio refuses

    row = wait_for(lambda: Notification.objects.filter(status=Status.FAILED).first(), timeout=20, message="the failure")
    assert row.attempts == 1
    assert "21211" in row.last_error
    for _ in range(3):
        sweep()
        time.sleep(0.3)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert sandbox.accepted() == []


@pytest.mark.parametrize("qcluster", [{"WHATSAPP_TEMPLATES": "{}"}], indirect=True)
def test_a_refused_whatsapp_message_goes_by_sms_instead(qcluster, sandbox, service, tomorrow):
    """No approved template: the free-form WhatsApp text is refused (63016) and SMS carries it."""
    booking = book(service, tomorrow, 1, channels=["whatsapp"])
    sms = wait_for(
        lambda: booking.notifications.filter(channel="sms", status__in=DONE).first(), timeout=30, message="the SMS"
    )
    whatsapp = booking.notifications.get(channel="whatsapp")
    assert whatsapp.status == Status.FAILED and "63016" in whatsapp.last_error
    assert sms.event == whatsapp.event == "booking_received"
    assert [m["channel"] for m in sandbox.accepted()] == ["sms"]


def test_the_same_task_run_twice_sends_once(sandbox, service, tomorrow):
    """Two deliveries of one task, one after the other and two at once: one message each."""
    import threading

    from django.db import connection

    from notifications.services import deliver

    first = book(service, tomorrow, 1, channels=["sms"]).notifications.get()
    deliver(first.pk)
    deliver(first.pk)

    second = book(service, tomorrow, 2, channels=["sms"]).notifications.get()

    def run():
        deliver(second.pk)
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(sandbox.accepted(to="+919876500001")) == 1
    assert len(sandbox.accepted(to="+919876500002")) == 1
    assert Notification.objects.get(pk=second.pk).attempts == 1
