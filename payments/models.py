"""Payments, refunds and the webhooks that report on them: a status row for every outside call.

A Payment is one provider order for one booking, and the payment that settled it. Its
status only moves forward (see RANK): repeated or out-of-order reports never undo it.
A Refund is written in the transaction that decides it and sent to the provider after
the commit, with its own idempotency key, so that a retry never refunds twice.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bookings.models import Booking


class Payment(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", "Created"  # the order exists; nothing paid yet
        AUTHORIZED = "authorized", "Authorized"  # the bank approved; not captured yet
        CAPTURED = "captured", "Captured"  # the money is ours
        FAILED = "failed", "Failed"  # the last attempt failed; the order can still be paid
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    class Provider(models.TextChoices):
        RAZORPAY = "razorpay", "Razorpay"

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.RAZORPAY)
    order_id = models.CharField(max_length=64, unique=True)
    # NULL, not "": orders without a payment yet must not collide in the unique index.
    payment_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount = models.PositiveIntegerField(help_text="In minor units, as the order was made.")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True)
    amount_refunded = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True, help_text="Last asked the provider about it.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.get_status_display()})"

    @property
    def is_paid(self) -> bool:
        return self.status in PAID


S = Payment.Status
PAID = {S.CAPTURED, S.PARTIALLY_REFUNDED, S.REFUNDED}
# How far along a payment is: a report that would not move it further changes nothing.
# A failed attempt is above `created` only: the customer may retry and pay.
RANK = {S.CREATED: 0, S.FAILED: 1, S.AUTHORIZED: 2, S.CAPTURED: 3, S.PARTIALLY_REFUNDED: 4, S.REFUNDED: 5}


def new_idempotency_key() -> str:
    return f"refund-{uuid.uuid4().hex}"


class Refund(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"  # decided; to be sent at next_attempt_at
        SENDING = "sending", "Sending"  # claimed by a worker
        PENDING = "pending", "Pending"  # the provider took it and is processing it
        PROCESSED = "processed", "Processed"  # the provider has paid it back
        FAILED = "failed", "Failed"  # refused for good or out of attempts: staff must act

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", "Booking cancelled"
        PLACE_TAKEN = "place_taken", "Paid after the hold lapsed and the place was taken"
        NOT_PAYABLE = "not_payable", "Paid for a booking that could no longer take a payment"
        DUPLICATE = "duplicate", "A second payment of the same order"
        PROVIDER = "provider", "Made at the provider (dashboard)"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="refunds")
    # The provider's payment refunded: the payment's own, or a duplicate payment of its order.
    provider_payment_id = models.CharField(max_length=64)
    amount = models.PositiveIntegerField(help_text="In minor units.")
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    idempotency_key = models.CharField(
        max_length=64, unique=True, default=new_idempotency_key, help_text="Sent as X-Refund-Idempotency."
    )
    # NULL until the provider answers; unique so one provider refund is never recorded twice.
    provider_refund_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(default=timezone.now, help_text="When a task was last put on the queue.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When the provider took it.")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="refund_due", condition=Q(status__in=["queued", "sending"]))
        ]

    def __str__(self) -> str:
        return f"Refund of {self.amount} {self.currency} for {self.booking} ({self.get_status_display()})"


class WebhookEvent(models.Model):
    """Every webhook received, valid or not. A valid event id is processed once."""

    provider = models.CharField(max_length=20, choices=Payment.Provider.choices, default=Payment.Provider.RAZORPAY)
    event_id = models.CharField(max_length=100)
    event_type = models.CharField(max_length=64, blank=True)
    signature_valid = models.BooleanField()
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    deliveries = models.PositiveIntegerField(default=1, help_text="How many times it arrived.")
    result = models.CharField(max_length=255, blank=True, help_text="What processing did, or why it did nothing.")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # Unique among signed events only: a forged request must not take a real event's id.
            models.UniqueConstraint(fields=["event_id"], condition=Q(signature_valid=True), name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.event_type or 'unknown'} {self.event_id}"
