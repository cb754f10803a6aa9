"""The payment page: /pay/<reference>/<token>/ opens Razorpay Checkout for a booking awaiting
payment; its answer is POSTed (a plain form, with its CSRF token) to .../verify, which
verifies it and sends the customer to the booking's status page.

The token is the booking's access token, the secret of the link in its messages.
A failed or dismissed checkout can be tried again until the hold lapses.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bookings.errors import BookingError
from bookings.models import Booking

from .errors import InvalidSignature, UnknownOrder
from .models import Payment
from .services import SETTLED, checkout_options, checkout_verify, open_payment

VERIFY_FIELDS = ("razorpay_order_id", "razorpay_payment_id", "razorpay_signature")


def _booking(reference: str, token: str) -> Booking:
    booking = Booking.objects.select_related("service").filter(reference=reference).first()
    # Compare with something even when there is no such booking: no timing tells which references exist.
    expected = booking.access_token if booking else secrets.token_urlsafe(24)
    if not secrets.compare_digest(token.encode(), expected.encode()) or booking is None:
        raise Http404("No booking matches this link.")
    return booking


def status_page(booking: Booking) -> str:
    return reverse("bookings:status", kwargs={"reference": booking.reference, "token": booking.access_token})


@require_GET
def checkout(request, reference: str, token: str):
    booking = _booking(reference, token)
    if booking.status in SETTLED or booking.status == Booking.Status.CANCELLED:
        return redirect(status_page(booking))
    return _checkout_page(request, booking)


def _checkout_page(request, booking: Booking, *, error: str = "", status: int = 200):
    now = timezone.now()
    payment = open_payment(booking, now=now)
    held = booking.status == Booking.Status.AWAITING_PAYMENT and (
        booking.hold_expires_at is None or booking.hold_expires_at > now
    )
    left = booking.hold_expires_at - now if held and booking.hold_expires_at else None
    context = {
        "booking": booking,
        "service": booking.service,
        "payment": payment,
        "held": held,
        "confirming": held and not payment and booking.payments.filter(status=Payment.Status.AUTHORIZED).exists(),
        "minutes_left": max(1, round(left.total_seconds() / 60)) if left else None,
        "checkout_options": checkout_options(payment) if payment else None,
        "checkout_js_url": settings.RAZORPAY_CHECKOUT_JS,
        "error": error,
    }
    return render(request, "payments/checkout.html", context, status=status)


@require_POST
def verify(request, reference: str, token: str):
    booking = _booking(reference, token)
    values = {field: request.POST.get(field, "").strip() for field in VERIFY_FIELDS}
    if not all(values.values()) or not booking.payments.filter(order_id=values["razorpay_order_id"]).exists():
        return _checkout_page(request, booking, error="We could not read the payment's answer.", status=400)
    try:
        checkout_verify(
            order_id=values["razorpay_order_id"],
            payment_id=values["razorpay_payment_id"],
            signature=values["razorpay_signature"],
        )
    except (InvalidSignature, UnknownOrder) as error:
        return _checkout_page(request, booking, error=error.detail, status=400)
    except BookingError as error:  # paid too late: refunded
        messages.error(request, error.detail)
    else:
        messages.success(request, "Thank you: your payment is in.")
    return redirect(status_page(booking))
