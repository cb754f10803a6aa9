"""What staff may do to a booking, and doing it: one set of rules for the admin and the API.

Front desk confirm, complete and cancel unpaid bookings; cancelling a paid booking
refunds it (the payments app does that on the status change), so it needs the
manager's `refund_booking` permission.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from . import selectors, services, states
from .errors import BookingError, InvalidTransition
from .models import Booking

Status = Booking.Status


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    to: str
    permission: str


MOVES = {
    move.name: move
    for move in [
        Move("confirm", "Confirm", Status.CONFIRMED, "bookings.confirm_booking"),
        Move("complete", "Mark completed", Status.COMPLETED, "bookings.complete_booking"),
        Move("cancel", "Cancel", Status.CANCELLED, "bookings.cancel_booking"),
    ]
}


def refusal(user, booking: Booking, move: Move) -> BookingError | PermissionDenied | None:
    """Why `user` may not make `move` on `booking` now (as the error to raise), or None."""
    if not user.has_perm(move.permission):
        return PermissionDenied(f"You may not {move.label.lower()} bookings.")
    status = booking.get_status_display().lower()
    if move.name == "confirm" and booking.status != Status.PENDING:
        # Unpaid bookings are confirmed by their payment, never by hand.
        return InvalidTransition(f"{booking.reference} is {status}: only pending bookings are confirmed.")
    if not states.can_move(booking.status, move.to):
        return InvalidTransition(f"{booking.reference} is {status} and cannot be {move.to}.")
    if move.name == "cancel" and selectors.is_paid(booking) and not user.has_perm("bookings.refund_booking"):
        return PermissionDenied(f"{booking.reference} is paid: only a manager can cancel and refund it.")
    return None


def allowed_moves(user, booking: Booking) -> list[Move]:
    return [move for move in MOVES.values() if refusal(user, booking, move) is None]


def perform(user, booking: Booking, move_name: str, *, note: str = "", locked: bool = False) -> Booking:
    """Make the move through the booking services. Raises PermissionDenied or
    InvalidTransition with the reason when the rules refuse it (or when the status
    changed meanwhile: the services check again under the row lock). `locked`: the
    caller's transaction read `booking` under its row lock, so the rules see what is moved."""
    move = MOVES[move_name]
    error = refusal(user, booking, move)
    if error:
        raise error
    if move.name == "confirm":
        return services.booking_confirm(booking, actor=user, note=note or "Confirmed by staff", locked=locked)
    if move.name == "complete":
        return services.booking_complete(booking, actor=user, note=note or "Completed by staff", locked=locked)
    return services.booking_cancel(booking, actor=user, by_staff=True, note=note or "Cancelled by staff", locked=locked)
