"""The booking state machine of DESIGN.md, as data.

awaiting_payment --paid--> confirmed (or pending: service.auto_confirm_paid off)
awaiting_payment --hold lapses--> expired --paid late, place still free--> confirmed | pending
pending --staff confirm--> confirmed --staff complete--> completed
pending | confirmed | awaiting_payment --cancel--> cancelled
"""

from .models import Booking

S = Booking.Status

ALLOWED = {
    S.AWAITING_PAYMENT: {S.CONFIRMED, S.PENDING, S.EXPIRED, S.CANCELLED},
    S.PENDING: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.COMPLETED, S.CANCELLED},
    S.EXPIRED: {S.CONFIRMED, S.PENDING},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}

CANCELLABLE = {status for status, targets in ALLOWED.items() if S.CANCELLED in targets}

# Statuses whose bookings do not hold a place in their slot.
RELEASED = {S.CANCELLED, S.EXPIRED}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, set())


def holds_place(status: str) -> bool:
    return status not in RELEASED
