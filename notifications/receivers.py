"""Which messages each booking change sends. Runs inside the change's transaction."""

from django.dispatch import receiver

from bookings.models import Booking
from bookings.signals import booking_status_changed

from .models import Notification
from .services import notify

S = Booking.Status
E = Notification.Event

EVENTS = {
    ("", S.PENDING): [E.BOOKING_RECEIVED],
    (S.AWAITING_PAYMENT, S.CONFIRMED): [E.PAYMENT_RECEIVED, E.CONFIRMED],
    (S.AWAITING_PAYMENT, S.PENDING): [E.PAYMENT_RECEIVED],
    (S.EXPIRED, S.CONFIRMED): [E.PAYMENT_RECEIVED, E.CONFIRMED],
    (S.EXPIRED, S.PENDING): [E.PAYMENT_RECEIVED],
    (S.PENDING, S.CONFIRMED): [E.CONFIRMED],
    (S.CONFIRMED, S.COMPLETED): [E.COMPLETED],
    (S.AWAITING_PAYMENT, S.EXPIRED): [E.HOLD_EXPIRED],
}
# A new booking awaiting payment says nothing yet: its customer is at the checkout.


def events_for(from_status: str, to_status: str) -> list[str]:
    if to_status == S.CANCELLED:
        return [E.CANCELLED]
    return EVENTS.get((from_status, to_status), [])


@receiver(booking_status_changed, dispatch_uid="notifications.tell_the_customer")
def tell_the_customer(sender, booking, from_status, to_status, **kwargs):
    for event in events_for(from_status, to_status):
        notify(booking, event)
