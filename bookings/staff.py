"""What staff may do to a booking, and doing it: one set of rules for the admin and the API.

Front desk confirm, complete and cancel unpaid bookings; cancelling a paid booking
refunds it (the payments app does that on the status change), so it needs the
manager's `refund_booking` permission.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from . import selectors, services, states
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


def refusal(user, booking: Booking, move: Move) -> str | None:
    """Why `user` may not make `move` on `booking` now, or None."""
    if move.name == "confirm" and booking.status != Status.PENDING:
        return f"{booking.reference} is {booking.get_status_display().lower()}: only pending bookings are confirmed."
    if not states.can_move(booking.status, move.to):
        return f"{booking.reference} is {booking.get_status_display().lower()} and cannot be {move.to}."
    if not user.has_perm(move.permission):
        return f"You may not {move.label.lower()} bookings."
    if move.name == "cancel" and selectors.is_paid(booking) and not user.has_perm("bookings.refund_booking"):
        return f"{booking.reference} is paid: only a manager can cancel and refund it."
    return None


def allowed_moves(user, booking: Booking) -> list[Move]:
    return [move for move in MOVES.values() if refusal(user, booking, move) is None]


def perform(user, booking: Booking, move_name: str, *, note: str = "") -> Booking:
    """Make the move through the booking services. Raises PermissionDenied with the reason
    when the rules above refuse it, or the services' BookingError when the state changed
    meanwhile."""
    move = MOVES[move_name]
    reason = refusal(user, booking, move)
    if reason:
        raise PermissionDenied(reason)
    if move.name == "confirm":
        return services.booking_confirm(booking, actor=user, note=note or "Confirmed by staff")
    if move.name == "complete":
        return services.booking_complete(booking, actor=user, note=note or "Completed by staff")
    return services.booking_cancel(booking, actor=user, by_staff=True, note=note or "Cancelled by staff")
