"""Each booking change writes one outbox row per accepted channel, in the change's transaction."""

import pytest
from django.db import transaction

from bookings.models import Booking
from bookings.services import booking_create, transition
from notifications.models import Notification
from tests.conftest import local
from tests.processes import drain_queue

S = Booking.Status
E = Notification.Event


def rows(booking):
    return sorted(booking.notifications.values_list("event", "channel", "recipient", "status"))


def test_a_booking_writes_one_queued_row_per_accepted_channel(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["sms", "email"], **customer)
    assert rows(booking) == [
        (E.BOOKING_RECEIVED, "email", "asha@example.com", "queued"),
        (E.BOOKING_RECEIVED, "sms", "+919876543210", "queued"),
    ]


def test_a_customer_who_accepts_no_channel_gets_no_rows(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=[], **customer)
    assert rows(booking) == []


@pytest.mark.parametrize(
    ("path", "events"),
    [
        ([S.CONFIRMED], [E.PAYMENT_RECEIVED, E.CONFIRMED]),
        ([S.PENDING], [E.PAYMENT_RECEIVED]),
        ([S.PENDING, S.CONFIRMED], [E.PAYMENT_RECEIVED, E.CONFIRMED]),
        ([S.CONFIRMED, S.COMPLETED], [E.PAYMENT_RECEIVED, E.CONFIRMED, E.COMPLETED]),
        ([S.EXPIRED], [E.HOLD_EXPIRED]),
        ([S.EXPIRED, S.CONFIRMED], [E.HOLD_EXPIRED, E.PAYMENT_RECEIVED, E.CONFIRMED]),
        ([S.CANCELLED], [E.CANCELLED]),
        ([S.CONFIRMED, S.CANCELLED], [E.PAYMENT_RECEIVED, E.CONFIRMED, E.CANCELLED]),
    ],
)
def test_each_change_of_a_paid_booking_sends_its_events(make_service, tomorrow, customer, path, events):
    service = make_service(requires_payment=True)
    booking = booking_create(service=service, start=local(tomorrow, 10), channels=["sms"], pay_online=True, **customer)
    assert rows(booking) == []  # the customer is at the checkout: nothing to say yet
    for status in path:
        transition(booking, status)
    assert list(booking.notifications.order_by("id").values_list("event", flat=True)) == events


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_booking_leaves_no_row_and_no_task(service, tomorrow, customer):
    drain_queue()  # what earlier tests left on a shared broker
    with pytest.raises(RuntimeError), transaction.atomic():
        booking_create(service=service, start=local(tomorrow, 10), **customer)
        assert Notification.objects.count() == 3
        raise RuntimeError("something after the booking failed")
    assert Booking.objects.count() == 0
    assert Notification.objects.count() == 0
    assert drain_queue() == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_booking_puts_its_rows_on_the_queue_in_one_task(service, tomorrow, customer):
    drain_queue()  # what earlier tests left on a shared broker
    booking_create(service=service, start=local(tomorrow, 10), **customer)
    assert Notification.objects.count() == 3
    tasks = drain_queue()
    assert len(tasks) == 1  # one task per booking change; its worker sends the rows side by side
    assert sorted(tasks[0]["args"][0]) == sorted(Notification.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_bookings_enqueue_over_the_process_kept_broker_connection(service, tomorrow, customer):
    """On Redis the tasks go over one kept connection, not a TCP connection opened and closed
    per booking (which django-q2's get_broker() would do: a new connection pool per call)."""
    import redis
    from django_q.conf import Conf

    if Conf.ORM:
        pytest.skip("the database broker's task is a row in the booking's own transaction")
    drain_queue()
    server = redis.Redis.from_url(Conf.REDIS)
    opened_before = server.info("stats")["total_connections_received"]
    for hour in range(10, 15):
        booking_create(service=service, start=local(tomorrow, hour), **customer)
    opened = server.info("stats")["total_connections_received"] - opened_before
    assert len(drain_queue()) == 5  # every booking's task reached the queue
    assert opened <= 2, f"{opened} connections to Redis for 5 bookings"
