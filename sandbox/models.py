"""What the sandbox providers were asked to do: messages, Razorpay's orders, payments and
refunds, the webhooks they sent back, and the faults they are told to inject.

The tables are the sandbox's own, so the inbox shows the same records whether the
sandbox runs inside the development server or on its own (`manage.py runsandbox`).
"""

from django.db import models
from django.db.models import Q

from sandbox import ids


def unix(moment) -> int:
    return int(moment.timestamp())


class Provider(models.TextChoices):
    TWILIO = "twilio", "Twilio"
    RAZORPAY = "razorpay", "Razorpay"
    POSTMARK = "postmark", "Postmark"


class Message(models.Model):
    """An SMS, WhatsApp message or email a provider accepted (or refused: status `refused`)."""

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        WHATSAPP = "whatsapp", "WhatsApp"
        EMAIL = "email", "Email"

    class Status(models.TextChoices):
        QUEUED = "queued"  # Twilio, From given
        ACCEPTED = "accepted"  # Twilio, Messaging Service given
        SENT = "sent"
        DELIVERED = "delivered"
        UNDELIVERED = "undelivered"  # Twilio's final failure
        BOUNCED = "bounced"  # email
        REFUSED = "refused"  # answered with an error: the provider never took it

    sid = models.CharField(max_length=64, unique=True, help_text="Twilio's SM…, Postmark's MessageID.")
    provider = models.CharField(max_length=16, choices=Provider.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    sender = models.CharField(max_length=320, blank=True)
    to = models.CharField(max_length=2000)
    subject = models.CharField(max_length=2000, blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    content_sid = models.CharField(max_length=64, blank=True)
    content_variables = models.JSONField(null=True, blank=True)
    messaging_service_sid = models.CharField(max_length=64, blank=True)
    status_callback = models.URLField(max_length=2000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices)
    error_code = models.PositiveIntegerField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    request = models.JSONField(default=dict, help_text="The parameters as the provider received them.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to}: {self.status}"

    def as_json(self) -> dict:
        return {
            "sid": self.sid,
            "provider": self.provider,
            "channel": self.channel,
            "from": self.sender,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "html": self.html,
            "content_sid": self.content_sid,
            "content_variables": self.content_variables,
            "status": self.status,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "status_callback": self.status_callback,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


class Order(models.Model):
    class Status(models.TextChoices):
        CREATED = "created"
        ATTEMPTED = "attempted"
        PAID = "paid"

    id = models.CharField(max_length=40, primary_key=True, default=ids.new_order_id)
    amount = models.PositiveBigIntegerField(help_text="Minor units.")
    amount_paid = models.PositiveBigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    receipt = models.CharField(max_length=40, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    attempts = models.PositiveIntegerField(default=0)
    payment_capture = models.BooleanField(
        null=True, help_text="As the order asked; empty: the account's setting. Checkout captures either way."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} {self.amount} {self.currency} {self.status}"

    def as_razorpay(self) -> dict:
        return {
            "id": self.id,
            "entity": "order",
            "amount": self.amount,
            "amount_paid": self.amount_paid,
            "amount_due": self.amount - self.amount_paid,
            "currency": self.currency,
            "receipt": self.receipt or None,
            "offer_id": None,
            "status": self.status,
            "attempts": self.attempts,
            "notes": self.notes or [],  # Razorpay answers an empty list, not {}
            "created_at": unix(self.created_at),
        }


class Payment(models.Model):
    class Status(models.TextChoices):
        CAPTURED = "captured"
        REFUNDED = "refunded"
        FAILED = "failed"

    id = models.CharField(max_length=40, primary_key=True, default=ids.new_payment_id)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices)
    method = models.CharField(max_length=16, default="card")
    email = models.CharField(max_length=320, blank=True)
    contact = models.CharField(max_length=32, blank=True)
    amount_refunded = models.PositiveBigIntegerField(default=0)
    error_code = models.CharField(max_length=64, blank=True)
    error_description = models.CharField(max_length=255, blank=True)
    error_reason = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.id} {self.amount} {self.currency} {self.status}"

    @property
    def captured(self) -> bool:
        return self.status in {self.Status.CAPTURED, self.Status.REFUNDED}

    def as_razorpay(self) -> dict:
        fee = self.amount * 2 // 100 if self.captured else None  # 2% + 18% GST on it, as in test mode
        tax = fee * 18 // 100 if fee is not None else None
        refund_status = None
        if self.amount_refunded:
            refund_status = "full" if self.amount_refunded >= self.amount else "partial"
        failed = self.status == self.Status.FAILED
        return {
            "id": self.id,
            "entity": "payment",
            "amount": self.amount,
            "currency": self.currency,
            "status": self.status,
            "order_id": self.order_id,
            "invoice_id": None,
            "international": False,
            "method": self.method,
            "amount_refunded": self.amount_refunded,
            "refund_status": refund_status,
            "captured": self.captured,
            "description": None,
            "card_id": None,
            "bank": None,
            "wallet": None,
            "vpa": None,
            "email": self.email,
            "contact": self.contact,
            "notes": [],
            "fee": fee + tax if fee is not None else None,
            "tax": tax,
            "error_code": self.error_code or None,
            "error_description": self.error_description or None,
            "error_source": "customer" if failed else None,
            "error_step": "payment_authentication" if failed else None,
            "error_reason": self.error_reason or None,
            "acquirer_data": {},
            "created_at": unix(self.created_at),
        }


class Refund(models.Model):
    id = models.CharField(max_length=40, primary_key=True, default=ids.new_refund_id)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="refunds")
    amount = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    receipt = models.CharField(max_length=40, blank=True)
    notes = models.JSONField(default=dict, blank=True)
    speed = models.CharField(max_length=16, default="normal")
    status = models.CharField(max_length=16, default="processed")
    # NULL, not "": refunds without a key must not collide in the unique constraint.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same X-Refund-Idempotency twice is the same refund, even when the
            # two requests race.
            models.UniqueConstraint(
                fields=["payment", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="sandbox_refund_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.amount} {self.currency} of {self.payment_id}"

    def as_razorpay(self) -> dict:
        return {
            "id": self.id,
            "entity": "refund",
            "amount": self.amount,
            "currency": self.currency,
            "payment_id": self.payment_id,
            "receipt": self.receipt or None,
            "notes": self.notes or [],
            "acquirer_data": {"arn": None},
            "batch_id": None,
            "status": self.status,
            "speed_requested": self.speed,
            "speed_processed": "normal",
            "created_at": unix(self.created_at),
        }


class Delivery(models.Model):
    """One webhook or status callback the sandbox sent (or tried to) to the site.

    The body and headers are kept exactly as sent, so that a resend is byte for byte
    the same request, signature and event id included, as a provider's retry is.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    provider = models.CharField(max_length=16, choices=Provider.choices)
    event = models.CharField(max_length=64)
    subject = models.CharField(max_length=64, blank=True, help_text="The message, payment or refund concerned.")
    event_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=2000)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.provider} {self.event} to {self.url}: {self.status}"

    def as_json(self) -> dict:
        return {
            "id": self.pk,
            "provider": self.provider,
            "event": self.event,
            "subject": self.subject,
            "event_id": self.event_id,
            "url": self.url,
            "body": self.body,
            "headers": self.headers,
            "status": self.status,
            "response_status": self.response_status,
            "error": self.error,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "last_attempt_at": self.last_attempt_at.isoformat() if self.last_attempt_at else None,
        }


class Fault(models.Model):
    """The faults one provider injects, set at run time; in the database so that every
    process and thread serving the sandbox sees the same. No row: settings decide."""

    provider = models.CharField(max_length=16, choices=Provider.choices, unique=True)
    latency_min = models.FloatField(default=0)
    latency_max = models.FloatField(default=0)
    failure_rate = models.FloatField(default=0)
    failure_statuses = models.JSONField(default=list)
    timeout_rate = models.FloatField(default=0)
    timeout_seconds = models.FloatField(default=0)
    undelivered_rate = models.FloatField(default=0)
    seed = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Faults of {self.provider}"
