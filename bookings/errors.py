"""Domain errors with stable codes. The API and the pages turn them into responses.

Field errors (bad phone, start not on the grid, ...) are Django ValidationErrors
with a dict of messages; these are what a valid request can still meet.
"""


class DomainError(Exception):
    """The base of the bookings' and the payments' errors: a stable code, a sentence for
    people, and the HTTP status the API answers with (bookings/api/errors.py)."""

    code = "error"
    status_code = 400
    default_detail = "The request could not be carried out."

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


class BookingError(DomainError):
    """A conflict with the booking's current state or its slot."""

    code = "booking_error"
    status_code = 409
    default_detail = "The booking could not be changed."


class SlotUnavailable(BookingError):
    code = "slot_unavailable"
    default_detail = "That time is no longer available."


class InvalidTransition(BookingError):
    code = "invalid_transition"
    default_detail = "The booking cannot make that change from its current status."


class HoldExpired(BookingError):
    code = "hold_expired"
    default_detail = "The time held for payment has run out."


class CancellationClosed(BookingError):
    code = "cancellation_closed"
    default_detail = "It is too late to cancel this booking online; please call us."
