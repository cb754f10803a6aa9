"""Domain errors with stable codes. The API and the pages turn them into responses.

Field errors (bad phone, start not on the grid, ...) are Django ValidationErrors
with a dict of messages; these are the conflicts a valid request can still meet.
"""


class BookingError(Exception):
    code = "booking_error"
    default_detail = "The booking could not be changed."

    def __init__(self, detail: str | None = None):
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


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
