"""Who may do what. Object access (own booking, token holder, staff) is decided by
bookings.selectors.booking_get_for, so that a booking that is not yours is a 404."""

from rest_framework.permissions import BasePermission

BOOKING_TOKEN_HEADER = "X-Booking-Token"


def booking_token(request) -> str:
    """The access token a client sends for the booking it made without a login."""
    return request.headers.get(BOOKING_TOKEN_HEADER, "")


class IsStaff(BasePermission):
    """Staff only: others get 403, or 401 when they are not logged in."""

    message = "Only staff can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)
