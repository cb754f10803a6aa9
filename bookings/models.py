"""Services, their hours, and bookings with their audit trail.

Money is an integer in minor units (paise) with a currency code. Times are
stored in UTC and shown in the business time zone (settings.TIME_ZONE).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from phonenumber_field.modelfields import PhoneNumberField

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: easy to read aloud


def new_reference() -> str:
    return "BK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


class Service(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
        help_text="Length of one appointment; starts follow each other on this grid.",
    )
    price = models.PositiveIntegerField(help_text="In minor units (paise for INR).")
    currency = models.CharField(max_length=3, default=settings.DEFAULT_CURRENCY)
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Places per start."
    )
    requires_payment = models.BooleanField(default=False, help_text="Customers pay online when they book.")
    auto_confirm_paid = models.BooleanField(
        default=True, help_text="Confirm paid bookings at once; off: paid bookings wait for staff."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="service_capacity_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0
        TUESDAY = 1
        WEDNESDAY = 2
        THURSDAY = 3
        FRIDAY = 4
        SATURDAY = 5
        SUNDAY = 6

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after_open")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if self.opens is None or self.closes is None or self.weekday is None:
            return
        if self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})
        if self.service_id:
            overlapping = OpeningHours.objects.filter(
                service_id=self.service_id, weekday=self.weekday, opens__lt=self.closes, closes__gt=self.opens
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError("These hours overlap other hours of the same day.")


class Closure(models.Model):
    """Days the business (service empty) or one service is closed."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text="Leave empty to close every service.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="Last closed day (the same as the first for one day).")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        what = self.service or "Everything"
        if self.starts_on == self.ends_on:
            return f"{what} closed {self.starts_on}"
        return f"{what} closed {self.starts_on} to {self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last closed day cannot be before the first."})


class CatalogVersion(models.Model):
    """One row whose stamp database triggers draw anew on every write to services, opening
    hours and closures, whatever makes it (admin, bulk update, raw SQL, another process):
    processes that keep a copy of those tables (bookings/catalog.py) know when it is stale.
    A random stamp, not a counter: a value that was ever rolled back or flushed away is
    never drawn again, so no copy can match it."""

    stamp = models.BigIntegerField()

    def __str__(self) -> str:
        return f"catalog version {self.stamp}"


class Slot(models.Model):
    """Places taken at one start of one service: the row that makes overselling impossible.

    A booking takes a place with one conditional upsert (a new row with taken = 1, or
    taken + 1 while taken < capacity), which the database applies atomically; releasing
    a place decrements it.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    taken = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "start"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="slot_taken_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.start:%Y-%m-%d %H:%M}Z: {self.taken} taken"


class Booking(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        WHATSAPP = "whatsapp", "WhatsApp"
        EMAIL = "email", "Email"

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    customer_name = models.CharField(max_length=120)
    phone = PhoneNumberField()
    email = models.EmailField(blank=True)
    channels = models.JSONField(default=list, blank=True, help_text="Channels the customer accepts messages on.")
    notes = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    amount = models.PositiveIntegerField(help_text="In minor units.")
    currency = models.CharField(max_length=3)
    access_token = models.CharField(max_length=64, default=new_access_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    hold_expires_at = models.DateTimeField(null=True, blank=True, help_text="Unpaid bookings lapse at this time.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["service", "start"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        permissions = [
            ("confirm_booking", "Can confirm a pending booking"),
            ("complete_booking", "Can mark a confirmed booking completed"),
            ("cancel_booking", "Can cancel an unpaid booking"),
            ("refund_booking", "Can cancel a paid booking, refunding it"),
        ]

    def __str__(self) -> str:
        return self.reference


class BookingEvent(models.Model):
    """One change of a booking's status: the audit trail staff see."""

    class Source(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        STAFF = "staff", "Staff"
        PAYMENT = "payment", "Payment"
        SYSTEM = "system", "System"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True, choices=Booking.Status.choices)
    to_status = models.CharField(max_length=20, choices=Booking.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.booking}: {self.from_status or 'new'} -> {self.to_status}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key on a create endpoint and the response it got.

    The unique (key, scope) constraint decides which of two concurrent requests
    with the same key runs; the other replays the stored response or is told the
    first is still in progress. A row without a response is a request in flight.
    """

    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=120, help_text="Endpoint and user id, or anonymous.")
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical request body.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "scope"], name="idempotency_key_unique_in_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"

    @property
    def completed(self) -> bool:
        return self.response_status is not None
