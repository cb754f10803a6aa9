"""The customer's pages: pick a service, a day and a time; book (and pay); see or cancel
the booking at its secret link.

Each view parses the request, calls one bookings service or selector (or, for a paid
service, payments.services.checkout_start) and renders the result. The rules live in
those functions; domain errors become messages next to the fields they concern.
"""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import selectors
from bookings.errors import CancellationClosed, InvalidTransition, SlotUnavailable
from bookings.models import Booking, Service
from bookings.services import booking_cancel, booking_create
from bookings.templatetags.booking_pages import money

from .forms import BookingForm, add_service_errors, parse_start

DAYS_SHOWN = 30
SLOT_TAKEN = "Sorry, someone else has just taken this time."
PAYMENT_UNAVAILABLE = (
    "We could not reach the payment provider, so nothing was booked or charged. Please try again in a minute."
)


# --- Choosing a service, a day and a time ---------------------------------------------------


@require_GET
def home(request):
    return render(request, "bookings/home.html", {"services": selectors.service_list()})


@require_GET
def service_page(request, slug: str):
    service = _service(slug)
    return render(request, "bookings/service.html", _day_context(request, service))


@require_GET
def service_slots(request, slug: str):
    """The free times of one day alone: what static/js/slots.js swaps in without a reload."""
    service = _service(slug)
    return render(request, "bookings/_slots.html", _day_context(request, service))


def _service(slug: str) -> Service:
    service = selectors.service_get(slug=slug)
    if service is None:
        raise Http404("No such service.")
    return service


def bookable_days(now: datetime | None = None) -> list[date]:
    """The days a customer can pick from: today and the days after it, as far as bookings open."""
    today = selectors.local_date(now or timezone.now())
    return [today + timedelta(days=n) for n in range(min(DAYS_SHOWN, settings.BOOKING_MAX_DAYS_AHEAD + 1))]


def _day_context(request, service: Service) -> dict:
    days = bookable_days()
    day, day_note = days[0], ""
    if raw := request.GET.get("date"):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day, day_note = days[0], "That is not a date we know; here is today."
        if not days[0] <= day <= days[-1]:
            day, day_note = days[0], f"Pick a day from today to {days[-1].day} {days[-1]:%B}; here is today."
    slots = selectors.free_slots(service, day)
    return {
        "service": service,
        "days": days,
        "day": day,
        "day_note": day_note,
        "slots": slots,
        "next_free_day": None if slots else _next_free_day(service, day, days),
    }


def _next_free_day(service: Service, day: date, days: list[date]) -> date | None:
    """The first day after `day` with a free time, to offer when `day` has none."""
    return next((later for later in days if later > day and selectors.free_slots(service, later)), None)


# --- Booking ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def book(request, slug: str):
    service = _service(slug)
    alternatives = []
    if request.method == "POST":
        form = BookingForm(request.POST)
        start = parse_start(request.POST.get("start", ""))
        if form.is_valid():
            try:
                if response := _place_booking(request, service, form):
                    return response
            except ValidationError as error:
                add_service_errors(form, error)
            except SlotUnavailable:
                form.add_error("start", SLOT_TAKEN)
                alternatives = selectors.nearest_free_slots(service, start)
        start_errors = form.errors.get("start", [])
    else:
        start = parse_start(request.GET.get("start", ""))
        if start is None:
            return redirect("bookings:service", slug=service.slug)
        form = BookingForm(initial={"start": request.GET["start"]})
        start_errors, alternatives = _start_check(service, start)
    context = {
        "service": service,
        "form": form,
        "start": start,
        "end": start + service.duration if start else None,
        "start_errors": start_errors,
        "alternatives": alternatives,
    }
    return render(request, "bookings/book.html", context)


def _start_check(service: Service, start: datetime) -> tuple[list[str], list[selectors.FreeSlot]]:
    """What is wrong with a start picked from a list that may be stale: why it cannot be
    booked, or that it is full with the nearest free ones to offer instead."""
    if problem := selectors.start_problem(service, start):
        return [problem], []
    if any(slot.start == start for slot in selectors.free_slots(service, selectors.local_date(start))):
        return [], []
    return [SLOT_TAKEN], selectors.nearest_free_slots(service, start)


def _place_booking(request, service: Service, form: BookingForm) -> HttpResponse | None:
    """Book, or for a paid service start the checkout: the page that comes next, or None
    with the form's errors added. Raises booking_create's errors."""
    start = form.cleaned_data["start"]
    if service.requires_payment:
        return _start_checkout(request, service, form)
    booking = booking_create(service=service, start=start, **form.customer(), user=request.user)
    return redirect(booking_link(booking))


def _start_checkout(request, service: Service, form: BookingForm) -> HttpResponse | None:
    # The payments app depends on bookings, not the other way round: this hand-over to it
    # is imported where it is used.
    from payments.errors import PaymentProviderUnavailable
    from payments.services import checkout_start

    try:
        booking, _payment = checkout_start(
            service=service, start=form.cleaned_data["start"], **form.customer(), user=request.user
        )
    except PaymentProviderUnavailable:
        form.add_error(None, PAYMENT_UNAVAILABLE)
        return None
    return redirect("payments:checkout", reference=booking.reference, token=booking.access_token)


# --- The booking's secret link ------------------------------------------------------------


def booking_link(booking: Booking) -> str:
    return reverse("bookings:status", kwargs={"reference": booking.reference, "token": booking.access_token})


def _booking_from_link(reference: str, token: str) -> Booking:
    booking = Booking.objects.select_related("service").filter(reference=reference).first()
    # Compare with something even when there is no such booking: no timing tells which references exist.
    expected = booking.access_token if booking else secrets.token_urlsafe(24)
    if not secrets.compare_digest(token.encode(), expected.encode()) or booking is None:
        raise Http404("No booking matches this link.")
    return booking


@never_cache  # personal details behind a secret link: for no cache but the customer's, and fresh
@require_GET
def status(request, reference: str, token: str):
    booking = _booking_from_link(reference, token)
    payment = _latest(booking, "payments")
    context = {
        "booking": booking,
        "service": booking.service,
        "payment": payment_summary(payment, _latest(booking, "refunds")),
        "paid_online": getattr(payment, "is_paid", False),
        "can_cancel": selectors.customer_can_cancel(booking),
        "checkout_url": _checkout_url(booking),
        "cancel_window_hours": settings.BOOKING_CANCEL_WINDOW_HOURS,
    }
    return render(request, "bookings/status.html", context)


@require_POST
def cancel(request, reference: str, token: str):
    booking = _booking_from_link(reference, token)
    try:
        booking_cancel(booking, actor=request.user, by_staff=False, note="Cancelled on the website")
    except CancellationClosed as error:
        messages.error(request, error.detail)
    except InvalidTransition:
        messages.error(request, f"This booking is {booking.get_status_display().lower()}: it cannot be cancelled.")
    else:
        messages.success(request, "Your booking is cancelled.")
    return redirect(booking_link(booking))


# What a payment's status (payments.models.Payment.Status) means to the customer.
PAYMENT_WORDS = {
    "created": "Not paid yet",
    "failed": "Not paid yet: the last attempt failed",
    "authorized": "Being processed",
    "captured": "Paid",
    "partially_refunded": "Paid, partly refunded",
    "refunded": "Refunded",
}
REFUND_UNDER_WAY = {"queued", "sending", "pending"}  # payments.models.Refund.Status


def payment_summary(payment, refund) -> str:
    """A booking's latest payment and refund in a few words, or "" without a payment."""
    if payment is None:
        return ""
    words = PAYMENT_WORDS.get(payment.status) or payment.get_status_display()
    summary = f"{words} ({money(payment.amount, payment.currency)})"
    if refund is not None and refund.status in REFUND_UNDER_WAY:
        summary += f"; a refund of {money(refund.amount, refund.currency)} is on its way"
    return summary


def _latest(booking: Booking, relation: str):
    """The newest row of one of the payments app's relations (payments, refunds), or None:
    read defensively, so that the page works whatever that app records."""
    related = getattr(booking, relation, None)
    return related.order_by("-pk").first() if hasattr(related, "order_by") else None


def _checkout_url(booking: Booking) -> str | None:
    """Where to pay a booking that awaits payment while its hold lasts."""
    held = booking.hold_expires_at is None or booking.hold_expires_at > timezone.now()
    if booking.status != Booking.Status.AWAITING_PAYMENT or not held:
        return None
    try:
        return reverse("payments:checkout", kwargs={"reference": booking.reference, "token": booking.access_token})
    except NoReverseMatch:  # the payments app's pages are not mounted
        return None
