"""Input serializers check the shape of a request (types, lengths, formats); the booking
rules themselves (a valid phone, a start on the grid, ...) are the services' to check.
Output serializers render models; times are ISO 8601 in the business time zone."""

import re
from datetime import UTC, timedelta

from django.utils import timezone
from rest_framework import serializers

from bookings import selectors
from bookings.models import Booking, Service

from .errors import NON_FIELD


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a UTC offset in (a naive time is refused, not guessed), and out in
    the business time zone (settings.TIME_ZONE, read when used)."""

    default_error_messages = {"naive": "Give the time with its UTC offset, e.g. 2026-12-05T10:00:00+05:30."}

    def default_timezone(self):
        return selectors.business_tz()

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        try:  # times at the very ends of the calendar cannot be moved to UTC or a day on
            for days in (-2, 2):
                (moment + timedelta(days=days)).astimezone(UTC)
        except OverflowError:
            self.fail("overflow")
        return moment


class DayField(serializers.DateField):
    """A day as YYYY-MM-DD exactly (strptime alone would take 2026-1-5)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_internal_value(self, value):
        if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


# --- Errors (for the schema) ---------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable: invalid, slot_unavailable, throttled, ...")
    detail = serializers.CharField(help_text="A sentence to show to people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=f'Messages by field path in the request ("customer.phone", "channels.0"), "{NON_FIELD}" '
        "for the request as a whole, a header's name for a header. Empty when not about fields.",
    )


# --- Services and slots ------------------------------------------------------------------------


class ServiceOutputSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    duration_minutes = serializers.IntegerField(help_text="Length of one appointment; starts follow on this grid.")
    price = serializers.IntegerField(help_text="In minor units (paise for INR).")
    currency = serializers.CharField()
    capacity = serializers.IntegerField(help_text="Places per start.")
    requires_payment = serializers.BooleanField(help_text="Paid online when booking: POST razorpay-booking.")


class SlotsQuerySerializer(serializers.Serializer):
    date = DayField(help_text="A day in the business time zone, YYYY-MM-DD.")


class FreeSlotSerializer(serializers.Serializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    places_left = serializers.IntegerField(min_value=1)


class SlotsOutputSerializer(serializers.Serializer):
    service = serializers.SlugField()
    date = serializers.DateField()
    time_zone = serializers.CharField(help_text="The business time zone the day and times are in.")
    slots = FreeSlotSerializer(many=True)


# --- Bookings ------------------------------------------------------------------------------------


class CustomerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=40, help_text="International (+91 98765 43210) or local form.")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")


class BookingCreateInputSerializer(serializers.Serializer):
    """The body of POST /api/bookings/ (and of the payment booking endpoint)."""

    service = serializers.SlugField(max_length=80, help_text="The service's slug.")
    start = AwareDateTimeField(help_text="A free start from the slots endpoint, with its UTC offset.")
    customer = CustomerInputSerializer()
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Booking.Channel.choices),
        required=False,
        max_length=len(Booking.Channel.values),
        help_text="Where to send messages; default: SMS and WhatsApp, and email when an email is given.",
    )
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate_service(self, slug: str) -> Service:
        service = selectors.service_get(slug=slug, include_inactive=True)
        if service is None:
            raise serializers.ValidationError("There is no service with this slug.")
        return service


# booking_create's argument names (its ValidationError keys) -> paths in the request body.
BOOKING_FIELD_PATHS = {"name": "customer.name", "phone": "customer.phone", "email": "customer.email"}


def booking_create_kwargs(validated_data: dict) -> dict:
    """BookingCreateInputSerializer's validated data as booking_create's keyword arguments."""
    customer = validated_data["customer"]
    return {
        "service": validated_data["service"],
        "start": validated_data["start"],
        "name": customer["name"],
        "phone": customer["phone"],
        "email": customer.get("email", ""),
        "channels": validated_data.get("channels"),
        "notes": validated_data.get("notes", ""),
    }


class CustomerOutputSerializer(serializers.Serializer):
    name = serializers.CharField(source="customer_name")
    phone = serializers.CharField(help_text="E.164.")
    email = serializers.CharField(help_text="Empty when none was given.")


class BookingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="What the customer quotes, e.g. BK-7KQ2MX.")
    status = serializers.ChoiceField(choices=Booking.Status.choices)
    service = serializers.SlugField(source="service.slug")
    service_name = serializers.CharField(source="service.name")
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    amount = serializers.IntegerField(help_text="In minor units (paise for INR).")
    currency = serializers.CharField()
    customer = CustomerOutputSerializer(source="*")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Booking.Channel.choices))
    notes = serializers.CharField()
    hold_expires_at = AwareDateTimeField(allow_null=True, help_text="Unpaid bookings lapse then; else null.")
    created_at = AwareDateTimeField()


class BookingCreatedOutputSerializer(BookingOutputSerializer):
    access_token = serializers.CharField(
        help_text="Send it back in the X-Booking-Token header to read or cancel this booking without a login. "
        "Shown only in this response: keep it."
    )


class BookingFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)
    service = serializers.SlugField(max_length=80, required=False, help_text="A service's slug.")
    date_from = DayField(required=False, help_text="Bookings starting on or after this day (YYYY-MM-DD).")
    date_to = DayField(required=False, help_text="Bookings starting on or before this day (YYYY-MM-DD).")

    def validate(self, attrs):
        if "date_from" in attrs and "date_to" in attrs and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "The last day cannot be before the first."})
        return attrs


# --- Auth ------------------------------------------------------------------------------------------


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it as "Authorization: Token <token>".')
