"""The booking form. It checks only what a form must (a start given with its offset, the
fields' sizes); the rules are booking_create's, whose errors `add_service_errors` puts
next to the fields they concern."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from bookings.models import Booking


class BookingForm(forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Pick a time first."})
    name = forms.CharField(
        label="Your name",
        max_length=120,
        error_messages={"required": "Tell us your name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="Mobile number",
        max_length=32,
        help_text="A number from abroad with its country code, e.g. +44 7700 900123.",
        error_messages={"required": "Give a mobile number we can reach you on."},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter a valid email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    channels = forms.MultipleChoiceField(
        label="Send me updates by",
        choices=Booking.Channel.choices,
        initial=[Booking.Channel.SMS, Booking.Channel.WHATSAPP],
        help_text="Every message has the link to your booking, where you can also cancel it.",
        error_messages={"required": "Choose at least one way to hear from us."},
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Anything we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_start(self) -> datetime:
        start = parse_start(self.cleaned_data["start"])
        if start is None:
            raise ValidationError("Pick a time from the list.", code="invalid")
        return start

    def customer(self) -> dict:
        """The customer's fields as booking_create takes them."""
        data = self.cleaned_data
        return {key: data[key] for key in ("name", "phone", "email", "channels", "notes")}


def parse_start(raw: str) -> datetime | None:
    """A start as the pages write it (ISO 8601 with its UTC offset), or None."""
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return start if start.tzinfo is not None else None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError as the form's errors: a dict's keys are the service's
    argument names, which are the form's field names; any other key (service) or a plain
    list of messages is about the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
