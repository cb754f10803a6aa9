from django.dispatch import Signal

# Sent by bookings.services inside the transaction that changes a booking's status
# (and when a booking is created, with from_status ""). Receivers write their own
# rows in that transaction; anything that leaves the process waits for the commit.
# Arguments: booking, from_status, to_status, event (the BookingEvent).
booking_status_changed = Signal()
