"""The notification outbox: one row per message, written in the booking's transaction.

A row is the promise that a message will be sent: it is created with the change
that causes it, so it commits or rolls back with it, and it carries everything
needed to send, retry and show the message to staff.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from bookings.models import Booking


class Notification(models.Model):
    class Event(models.TextChoices):
        BOOKING_RECEIVED = "booking_received", "Booking received"
        PAYMENT_RECEIVED = "payment_received", "Payment received"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"
        HOLD_EXPIRED = "hold_expired", "Hold expired"
        REMINDER = "reminder", "Reminder"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"  # due at next_attempt_at
        SENDING = "sending", "Sending"  # claimed by a worker
        SENT = "sent", "Sent"  # the provider accepted it
        DELIVERED = "delivered", "Delivered"  # the provider's receipt says it arrived
        UNDELIVERED = "undelivered", "Undelivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"  # refused for good, or out of attempts
        SKIPPED = "skipped", "Skipped"  # no longer relevant when its turn came

    Channel = Booking.Channel

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=Event.choices)
    # Tells apart messages of one event that may happen more than once (reminders, refunds).
    occasion = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(default=timezone.now, help_text="When a task was last put on the queue.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True, db_index=True)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            # The same message is never written twice (a reminder found by two sweeps).
            models.UniqueConstraint(fields=["booking", "event", "occasion", "channel"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="notification_due", condition=Q(status__in=["queued", "sending"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} by {self.get_channel_display()} to {self.recipient}"
