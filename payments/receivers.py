"""What payments do when a booking changes. Runs inside the change's transaction."""

from django.dispatch import receiver

from bookings.models import Booking
from bookings.signals import booking_status_changed

from .services import refund_cancelled_booking


@receiver(booking_status_changed, dispatch_uid="payments.refund_cancelled_booking")
def refund_when_cancelled(sender, booking, from_status, to_status, **kwargs):
    # The Refund row commits or rolls back with the cancellation; the provider is
    # called by a task after the commit (payments.refunds).
    if to_status == Booking.Status.CANCELLED:
        refund_cancelled_booking(booking)
