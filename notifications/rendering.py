"""What a notification says: SMS text, WhatsApp template variables, email subject, text and HTML.

Texts live in templates/notifications/<event>.txt: one short paragraph that is the
SMS and the email's text part; templates/notifications/email.html wraps it for HTML.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from bookings.selectors import business_tz, status_url

from .models import Notification

SUBJECTS = {
    Notification.Event.BOOKING_RECEIVED: "We have your booking {reference}",
    Notification.Event.PAYMENT_RECEIVED: "Payment received for {reference}",
    Notification.Event.CONFIRMED: "Confirmed: {service} on {when}",
    Notification.Event.COMPLETED: "Thank you for visiting {business}",
    Notification.Event.CANCELLED: "Cancelled: booking {reference}",
    Notification.Event.REFUNDED: "Refund issued for {reference}",
    Notification.Event.HOLD_EXPIRED: "Booking {reference} was not paid in time",
    Notification.Event.REMINDER: "Reminder: {service} on {when}",
}


@dataclass(frozen=True)
class Rendered:
    event: str
    text: str  # the SMS, and the email's text part
    subject: str
    html: str
    variables: dict[str, str]  # WhatsApp template variables, numbered as Twilio's Content API wants


def format_money(amount: int, currency: str) -> str:
    symbol = {"INR": "₹"}.get(currency, f"{currency} ")
    return f"{symbol}{amount / 100:,.2f}"


def render(notification: Notification) -> Rendered:
    booking = notification.booking
    when = timezone.localtime(booking.start, business_tz()).strftime("%a %d %b, %H:%M")
    context = {
        "booking": booking,
        "business": settings.BUSINESS_NAME,
        "service": booking.service.name,
        "when": when,
        "amount": format_money(booking.amount, booking.currency),
        "link": status_url(booking),
        "reference": booking.reference,
    }
    text = render_to_string(f"notifications/{notification.event}.txt", context).strip()
    context["message"] = text
    return Rendered(
        event=notification.event,
        text=text,
        subject=SUBJECTS[notification.event].format(**context),
        html=render_to_string("notifications/email.html", context),
        variables={
            "1": booking.customer_name,
            "2": context["service"],
            "3": when,
            "4": booking.reference,
            "5": context["link"],
        },
    )
