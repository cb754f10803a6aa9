"""Staff run the day in the admin: bulk actions and buttons through the one transition
function, per-booking refusals, roles from the data migration, constant queries."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking
from bookings.services import booking_create, transition
from notifications.models import Notification
from tests.conftest import local

S = Booking.Status
CHANGELIST = "admin:bookings_booking_changelist"


def login_as(client, group_name: str):
    user = get_user_model().objects.create_user(group_name.lower().replace(" ", "-"), password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    return user


@pytest.fixture
def desk(client, staff_groups):
    login_as(client, "Front desk")
    return client


@pytest.fixture
def manager(client, staff_groups):
    login_as(client, "Manager")
    return client


@pytest.fixture
def bookings(make_service, tomorrow, customer):
    """Three pending bookings at 10, 11 and 12 tomorrow, and one completed at 13."""
    service = make_service(capacity=2)
    made = [booking_create(service=service, start=local(tomorrow, hour), **customer) for hour in (10, 11, 12, 13)]
    transition(made[3], S.CONFIRMED)
    transition(made[3], S.COMPLETED)
    return made


def act(client, action: str, bookings):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [b.pk for b in bookings]}, follow=True
    )


def test_front_desk_bulk_confirms_and_hears_about_the_one_it_could_not(desk, bookings):
    response = act(desk, "confirm_selected", bookings)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 booking(s) confirmed" in text
    assert f"{bookings[3].reference} is completed: only pending bookings are confirmed." in text
    statuses = dict(Booking.objects.values_list("reference", "status"))
    assert [statuses[b.reference] for b in bookings] == [S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.COMPLETED]
    event = bookings[0].events.latest("id")
    assert (event.from_status, event.to_status, event.actor.username, event.source) == (
        S.PENDING,
        S.CONFIRMED,
        "front-desk",
        "staff",
    )
    confirmed_messages = Notification.objects.filter(event="confirmed", booking__in=bookings[:3])
    assert confirmed_messages.count() == 3 * 3  # three bookings, three channels each, queued to go


def test_complete_and_cancel_from_the_list(desk, bookings):
    act(desk, "confirm_selected", bookings[:2])
    act(desk, "complete_selected", bookings[:1])
    response = act(desk, "cancel_selected", bookings[1:3])
    assert "2 booking(s) cancelled" in response.content.decode()
    assert list(Booking.objects.order_by("start").values_list("status", flat=True)) == [
        S.COMPLETED,
        S.CANCELLED,
        S.CANCELLED,
        S.COMPLETED,
    ]
    assert Notification.objects.filter(event="cancelled", booking__in=bookings[1:3]).count() == 6


def test_the_booking_page_offers_only_the_moves_its_status_allows(desk, bookings):
    pending, completed = bookings[0], bookings[3]
    page = desk.get(reverse("admin:bookings_booking_change", args=[pending.pk])).content.decode()
    assert "move/confirm/" in page and "move/cancel/" in page and "move/complete/" not in page
    page = desk.get(reverse("admin:bookings_booking_change", args=[completed.pk])).content.decode()
    assert "move/" not in page

    response = desk.post(reverse("admin:bookings_booking_move", args=[pending.pk, "confirm"]), follow=True)
    assert response.status_code == 200
    assert Booking.objects.get(pk=pending.pk).status == S.CONFIRMED
    assert desk.get(reverse("admin:bookings_booking_move", args=[pending.pk, "confirm"])).status_code == 405


def test_an_illegal_button_press_changes_nothing(desk, bookings):
    completed = bookings[3]
    response = desk.post(reverse("admin:bookings_booking_move", args=[completed.pk, "cancel"]), follow=True)
    assert "cannot be cancelled" in response.content.decode()
    assert Booking.objects.get(pk=completed.pk).status == S.COMPLETED
    assert completed.events.count() == 3


def test_front_desk_cannot_manage_services_and_managers_can(client, desk, service):
    assert desk.get(reverse("admin:bookings_service_change", args=[service.pk])).status_code == 200  # view
    assert desk.get(reverse("admin:bookings_service_add")).status_code == 403
    client.logout()
    login_as(client, "Manager")
    assert client.get(reverse("admin:bookings_service_add")).status_code == 200
    assert client.get(reverse("admin:django_q_failure_changelist")).status_code == 200


def test_the_admin_index_shows_today_and_the_queue(desk, service, tomorrow, customer):
    booking_create(service=service, start=local(tomorrow, 10), **customer)
    page = desk.get(reverse("admin:index")).content.decode()
    assert "0 bookings today" in page
    assert "Messages waiting to be sent: <strong>3</strong>" in page
    assert "Tasks failed in the last hour: <strong>0</strong>" in page
    response = desk.get(reverse("admin:bookings_booking_today"))
    assert response.status_code == 302 and response["Location"].endswith("?day=today")


def test_the_day_filter(desk, make_service, tomorrow, customer):
    service = make_service()
    soon = booking_create(service=service, start=local(tomorrow, 10), **customer)
    listing = desk.get(reverse(CHANGELIST), {"day": "tomorrow"}).content.decode()
    assert soon.reference in listing
    listing = desk.get(reverse(CHANGELIST), {"day": "today"}).content.decode()
    assert soon.reference not in listing


def test_the_list_runs_the_same_queries_for_10_and_100_bookings(manager, make_service, tomorrow, customer):
    service = make_service(capacity=100)

    def queries_for_a_list_of(count: int) -> int:
        while Booking.objects.count() < count:
            booking_create(service=service, start=local(tomorrow, 9 + Booking.objects.count() % 8), **customer)
        with CaptureQueriesContext(connection) as queries:
            response = manager.get(reverse(CHANGELIST), {"all": ""})  # every row on one page
        assert response.status_code == 200
        assert response.content.decode().count('class="action-checkbox"') == count
        return len(queries)

    assert queries_for_a_list_of(10) == queries_for_a_list_of(100)


def test_a_failed_message_is_sent_again_from_the_booking_page(desk, bookings):
    booking = bookings[0]
    failed = booking.notifications.get(channel="sms")
    Notification.objects.filter(pk=failed.pk).update(status="failed", attempts=3, last_error="Twilio 400 (code 21211)")
    page = desk.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    assert "Twilio 400 (code 21211)" in page
    resend_url = reverse("admin:notifications_notification_resend", args=[failed.pk])
    assert page.count(f'formaction="{resend_url}"') == 1  # only the failed one has the button

    response = desk.post(resend_url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "")


def test_upcoming_bookings_come_first_soonest_first_then_the_past(desk, bookings):
    from datetime import timedelta

    Booking.objects.filter(pk=bookings[3].pk).update(start=bookings[3].start - timedelta(days=3))
    page = desk.get(reverse(CHANGELIST)).content.decode()
    positions = [page.index(b.reference) for b in bookings]
    assert positions[0] < positions[1] < positions[2] < positions[3]


def test_the_dashboard_shows_the_last_days_delivery_against_its_targets(desk, bookings):
    rows = Notification.objects.filter(booking__in=bookings)
    total = rows.count()  # 4 bookings' messages; one fails for good, the rest were sent
    rows.update(status="sent")
    Notification.objects.filter(pk=rows.first().pk).update(status="failed")
    page = desk.get(reverse("admin:index")).content.decode()
    delivered = f"{(total - 1) / total * 100:.2f}".rstrip("0").rstrip(".")
    assert f"Delivery rate: <strong>{delivered}%</strong> (target: above 99%) <strong" in page
    assert "below target" in page and "above target" in page
    assert "0 payments awaiting reconciliation" in page


@pytest.fixture
def paid_booking(make_service, tomorrow, customer):
    """A booking paid online and confirmed, as payments leave it after a capture."""
    from payments.models import Payment

    service = make_service("turf", requires_payment=True)
    booking = booking_create(service=service, start=local(tomorrow, 10), pay_online=True, **customer)
    Payment.objects.create(
        booking=booking,
        order_id="order_T1",
        payment_id="pay_T1",
        amount=booking.amount,
        currency=booking.currency,
        status=Payment.Status.CAPTURED,
    )
    transition(booking, S.CONFIRMED, source="payment")
    return booking


def test_front_desk_may_not_cancel_a_paid_booking(desk, paid_booking):
    page = desk.get(reverse("admin:bookings_booking_change", args=[paid_booking.pk])).content.decode()
    assert "move/cancel/" not in page and "move/complete/" in page
    response = act(desk, "cancel_selected", [paid_booking])
    assert f"{paid_booking.reference} is paid: only a manager can cancel and refund it." in response.content.decode()
    assert Booking.objects.get(pk=paid_booking.pk).status == S.CONFIRMED
    assert not paid_booking.refunds.exists()


def test_a_manager_cancels_a_paid_booking_and_it_is_refunded(manager, paid_booking):
    response = act(manager, "cancel_selected", [paid_booking])
    assert "1 booking(s) cancelled" in response.content.decode()
    assert Booking.objects.get(pk=paid_booking.pk).status == S.CANCELLED
    refund = paid_booking.refunds.get()  # written with the cancellation; Razorpay is called after the commit
    assert (refund.amount, refund.status) == (paid_booking.amount, "queued")
    assert paid_booking.events.latest("id").actor.username == "manager"
    assert set(paid_booking.notifications.filter(event="cancelled").values_list("channel", flat=True)) == {
        "sms",
        "whatsapp",
        "email",
    }


def test_the_date_range_filter_and_the_payment_column(desk, bookings, paid_booking, tomorrow):
    from datetime import timedelta

    day = tomorrow.isoformat()
    listing = desk.get(reverse(CHANGELIST), {"start_from": day, "start_to": day}).content.decode()
    assert all(b.reference in listing for b in [*bookings, paid_booking])
    assert "Captured" in listing  # the paid booking's payment, at a glance
    later = (tomorrow + timedelta(days=1)).isoformat()
    listing = desk.get(reverse(CHANGELIST), {"start_from": later}).content.decode()
    assert not any(b.reference in listing for b in [*bookings, paid_booking])
    for junk in ("not-a-date", "2026-02-30"):
        assert desk.get(reverse(CHANGELIST), {"start_from": junk}).status_code == 200
