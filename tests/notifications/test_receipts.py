"""Delivery receipts move rows forward, never back; unknown or repeated ones change nothing."""

import pytest

from bookings.services import booking_create
from notifications.models import Notification
from notifications.services import record_receipt
from tests.conftest import local

Status = Notification.Status


@pytest.fixture
def sent(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["sms", "whatsapp"], **customer)
    for n, row in enumerate(booking.notifications.all()):
        Notification.objects.filter(pk=row.pk).update(status=Status.SENT, provider_message_id=f"SM{n}{row.channel}")
    return {row.channel: row for row in booking.notifications.all()}


def test_delivered_is_recorded_with_its_time(sent):
    assert record_receipt(sent["sms"].provider_message_id, "delivered") is True
    row = Notification.objects.get(pk=sent["sms"].pk)
    assert row.status == Status.DELIVERED and row.delivered_at is not None


def test_repeated_and_late_receipts_change_nothing(sent):
    sid = sent["sms"].provider_message_id
    assert record_receipt(sid, "delivered") is True
    assert record_receipt(sid, "delivered") is False
    assert record_receipt(sid, "undelivered") is False
    assert record_receipt(sid, "sent") is False
    assert Notification.objects.get(pk=sent["sms"].pk).status == Status.DELIVERED


def test_unknown_ids_and_statuses_are_ignored(sent):
    assert record_receipt("SMnobody", "delivered") is False
    assert record_receipt(sent["sms"].provider_message_id, "teleported") is False
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_an_undelivered_whatsapp_message_does_not_duplicate_an_sms_already_sent(sent):
    record_receipt(sent["whatsapp"].provider_message_id, "undelivered")
    assert Notification.objects.get(pk=sent["whatsapp"].pk).status == Status.UNDELIVERED
    assert Notification.objects.filter(channel="sms").count() == 1


def test_an_undelivered_whatsapp_message_goes_again_by_sms(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["whatsapp"], **customer)
    whatsapp = booking.notifications.get()
    Notification.objects.filter(pk=whatsapp.pk).update(status=Status.SENT, provider_message_id="SMwa")
    assert record_receipt("SMwa", "undelivered") is True
    sms = booking.notifications.get(channel="sms")
    assert (sms.event, sms.recipient, sms.status) == (whatsapp.event, whatsapp.recipient, Status.QUEUED)
