"""Writes: creating bookings and moving them through the state machine.

Every status change goes through `transition`, which locks the row, checks the
move, keeps the slot counter right, records a BookingEvent and sends
`booking_status_changed`, all in one transaction.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

from . import selectors, states
from .errors import CancellationClosed, InvalidTransition, SlotUnavailable
from .models import Booking, BookingEvent, Service, Slot
from .signals import booking_status_changed

Status = Booking.Status
Source = BookingEvent.Source


def normalize_phone(raw: str) -> str:
    """E.164 for a phone number in international or local (default region) form."""
    try:
        number = PhoneNumber.from_string(raw.strip(), region=settings.PHONENUMBER_DEFAULT_REGION)
    except NumberParseException:
        number = None
    if number is None or not number.is_valid():
        raise ValidationError("Enter a valid mobile number, e.g. +91 98765 43210.", code="invalid_phone")
    return number.as_e164


def _clean_customer(*, name: str, phone: str, email: str, channels: Iterable[str] | None, notes: str) -> dict:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Tell us your name."
    elif len(name) > 120:
        errors["name"] = "Use at most 120 characters."
    try:
        phone = normalize_phone(phone or "")
    except ValidationError as error:
        errors["phone"] = error.messages[0]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter a valid email address."
    if channels is None:
        channels = [c for c in Booking.Channel.values if c != Booking.Channel.EMAIL or email]
    channels = list(dict.fromkeys(channels))
    unknown = [c for c in channels if c not in Booking.Channel.values]
    if unknown:
        errors["channels"] = f"Unknown channel {unknown[0]!r}: choose from sms, whatsapp, email."
    elif Booking.Channel.EMAIL in channels and not email:
        errors["email"] = "Give an email address to get messages by email."
    if len(notes or "") > 1000:
        errors["notes"] = "Use at most 1000 characters."
    if errors:
        raise ValidationError(errors)
    return {"customer_name": name, "phone": phone, "email": email, "channels": channels, "notes": notes or ""}


def _take_place(service: Service, start: datetime) -> bool:
    """Take one place at `start`; False when the slot is full.

    One statement, atomic in the database: a new start is inserted with its first place
    taken; an existing one gains a place only while taken < capacity, under the row lock,
    so racing requests serialize and never oversell. The ORM has no conditional upsert,
    and two statements (insert if missing, then update) cost a round trip per booking.
    """
    connection = connections[router.db_for_write(Slot)]
    quote = connection.ops.quote_name
    table, service_id, start_column, taken = map(quote, (Slot._meta.db_table, "service_id", "start", "taken"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({service_id}, {start_column}, {taken}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({service_id}, {start_column}) DO UPDATE SET {taken} = {table}.{taken} + 1 "
            f"WHERE {table}.{taken} < %s RETURNING 1",
            [service.pk, connection.ops.adapt_datetimefield_value(start), service.capacity],
        )
        return cursor.fetchone() is not None


def _release_place(booking: Booking) -> None:
    Slot.objects.filter(service_id=booking.service_id, start=booking.start, taken__gt=0).update(taken=F("taken") - 1)


def _record(booking: Booking, from_status: str, *, actor, source: str, note: str) -> BookingEvent:
    event = BookingEvent.objects.create(
        booking=booking,
        from_status=from_status,
        to_status=booking.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
        note=note[:500],
    )
    booking_status_changed.send(
        sender=Booking, booking=booking, from_status=from_status, to_status=booking.status, event=event
    )
    return event


def booking_create(
    *,
    service: Service,
    start: datetime,
    name: str,
    phone: str,
    email: str = "",
    channels: Iterable[str] | None = None,
    notes: str = "",
    user=None,
    pay_online: bool = False,
) -> Booking:
    """Book one place. Raises ValidationError (field errors) or SlotUnavailable.

    Paid online: `awaiting_payment` with a hold that lapses. Otherwise `pending`
    until staff confirm. Services that require payment can only be booked paid.
    """
    fields = _clean_customer(name=name, phone=phone, email=email, channels=channels, notes=notes)
    if not service.is_active:
        raise ValidationError({"service": "This service is not taking bookings."})
    if service.requires_payment and not pay_online:
        paid_online = ValidationError("This service is paid online when booking.", code="payment_required")
        raise ValidationError({"service": paid_online})
    problem = selectors.start_problem(service, start)
    if problem:
        raise ValidationError({"start": problem})
    start = start.astimezone(UTC)
    try:
        return _create(service, start, fields, user=user, pay_online=pay_online)
    except SlotUnavailable:
        # Full, but maybe only because of unpaid holds that lapsed and await the expiry task.
        if not expire_lapsed_holds(service=service, start=start):
            raise
        return _create(service, start, fields, user=user, pay_online=pay_online)


def _create(service: Service, start: datetime, fields: dict, *, user, pay_online: bool) -> Booking:
    for attempt in range(3):  # a reference collision (1 in ~10^8) retries with a new one
        try:
            with transaction.atomic():
                if not _take_place(service, start):
                    raise SlotUnavailable()
                hold = timezone.now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES) if pay_online else None
                booking = Booking.objects.create(
                    service=service,
                    start=start,
                    end=start + service.duration,
                    **fields,
                    status=Status.AWAITING_PAYMENT if pay_online else Status.PENDING,
                    amount=service.price,
                    currency=service.currency,
                    hold_expires_at=hold,
                    user=user if getattr(user, "is_authenticated", False) else None,
                )
                _record(booking, "", actor=user, source=Source.CUSTOMER, note="Booked")
                return booking
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def transition(
    booking: Booking, to: str, *, actor=None, source: str = Source.STAFF, note: str = "", locked: bool = False
) -> Booking:
    """Move `booking` to status `to`: the one place where a status changes.

    Raises InvalidTransition for a move the state machine forbids (nothing
    changes) and SlotUnavailable when a lapsed booking's place has been taken.
    Returns the booking as saved; the instance passed in is updated too.
    `locked`: the caller's transaction already holds the booking's row lock (and
    loaded it, with its service, under that lock): it is moved as it is.
    """
    if locked:
        return _move(booking, to, actor=actor, source=source, note=note)
    with transaction.atomic():
        # of=("self",): lock the booking only, not the service row it is joined to.
        row = Booking.objects.select_for_update(of=("self",)).select_related("service").get(pk=booking.pk)
        _move(row, to, actor=actor, source=source, note=note)
    booking.status, booking.updated_at = row.status, row.updated_at
    return row


def _move(booking: Booking, to: str, *, actor, source: str, note: str) -> Booking:
    """transition() on a booking whose row this transaction has locked. Nothing is written
    before the move is known to be possible: a caller may catch the error and go on."""
    from_status = booking.status
    if not states.can_move(from_status, to):
        raise InvalidTransition(
            f"A {booking.get_status_display().lower()} booking cannot become {Status(to).label.lower()}."
        )
    held, holds = states.holds_place(from_status), states.holds_place(to)
    if held and not holds:
        _release_place(booking)
    elif holds and not held and not _take_place(booking.service, booking.start):
        raise SlotUnavailable("The place was taken after the booking lapsed.")
    booking.status = to
    booking.save(update_fields=["status", "updated_at"])
    _record(booking, from_status, actor=actor, source=source, note=note)
    return booking


def booking_cancel(booking: Booking, *, actor=None, by_staff: bool, note: str = "", locked: bool = False) -> Booking:
    """Cancel a booking. Customers only within the cancellation window (CancellationClosed);
    a paid booking is refunded by the payments app, which listens for the change.
    `locked` as for transition()."""
    if not by_staff and booking.status in states.CANCELLABLE and not selectors.customer_can_cancel(booking):
        raise CancellationClosed()
    source = Source.STAFF if by_staff else Source.CUSTOMER
    return transition(booking, Status.CANCELLED, actor=actor, source=source, note=note or "Cancelled", locked=locked)


def expire_lapsed_holds(*, service: Service | None = None, start: datetime | None = None) -> int:
    """Expire unpaid bookings whose hold has lapsed; the count expired.
    Run periodically, and at once when a full slot may be full only of lapsed holds."""
    lapsed = Booking.objects.filter(status=Status.AWAITING_PAYMENT, hold_expires_at__lte=timezone.now())
    if service is not None:
        lapsed = lapsed.filter(service=service)
    if start is not None:
        lapsed = lapsed.filter(start=start)
    expired = 0
    for booking in lapsed.only("pk"):
        try:
            transition(booking, Status.EXPIRED, source=Source.SYSTEM, note="Payment hold lapsed")
        except InvalidTransition:
            continue  # paid or cancelled meanwhile
        expired += 1
    return expired


def booking_confirm(booking: Booking, *, actor=None, note: str = "Confirmed", locked: bool = False) -> Booking:
    """Staff confirm a pending booking. A booking awaiting payment (or lapsed) is
    confirmed by its payment, never by hand: InvalidTransition."""
    if booking.status != Status.PENDING:
        raise InvalidTransition(
            f"Only a pending booking can be confirmed; this one is {booking.get_status_display().lower()}."
        )
    return transition(booking, Status.CONFIRMED, actor=actor, source=Source.STAFF, note=note, locked=locked)


def booking_complete(booking: Booking, *, actor=None, note: str = "Completed", locked: bool = False) -> Booking:
    """Staff mark a confirmed booking as done."""
    return transition(booking, Status.COMPLETED, actor=actor, source=Source.STAFF, note=note, locked=locked)


def booking_discard(booking: Booking) -> bool:
    """Undo a booking awaiting payment whose payment could not even be started (the provider
    made no order): give its place back and delete it with its history, in one transaction.

    No status changes, so no receiver runs and no message goes out: for the customer,
    who was told nothing was booked, the booking never existed. False, and nothing done,
    once the booking has moved on (paid, cancelled, expired).
    """
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",))
            .filter(pk=booking.pk, status=Status.AWAITING_PAYMENT)
            .first()
        )
        if locked is None:
            return False
        _release_place(locked)
        locked.delete()
    return True
