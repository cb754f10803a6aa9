"""Who sees and changes which booking: the customer, the holder of its access token, staff.
A booking that is not yours is 404 (as if it did not exist), never 403."""

import pytest
from rest_framework.test import APIClient

from bookings.models import Booking
from tests.api.conftest import BOOKINGS, assert_error, booking_row


@pytest.fixture
def ashas(book, as_asha):
    """A booking Asha made while logged in."""
    return book(as_asha)


@pytest.fixture
def anonymous_booking(book):
    """A booking made without a login, and the JSON of its 201 (with its access token)."""
    return book(hour=11, customer={"name": "Guest", "phone": "+91 91234 56789"}, channels=["sms"])


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_BOOKING_TOKEN=token)
    return client


def url(booking: dict, action: str = "") -> str:
    return f"{BOOKINGS}{booking['id']}/{action}"


class TestReadingOneBooking:
    def test_its_customer_staff_and_its_token_holder_see_it(self, ashas, anonymous_booking, as_asha, as_staff):
        assert as_asha.get(url(ashas)).json()["reference"] == ashas["reference"]
        assert as_staff.get(url(ashas)).status_code == 200
        assert as_staff.get(url(anonymous_booking)).status_code == 200
        got = with_token(anonymous_booking["access_token"]).get(url(anonymous_booking))
        assert got.status_code == 200
        assert "access_token" not in got.json()
        # The token opens the booking for a logged-in client too.
        assert with_token(ashas["access_token"]).get(url(ashas)).status_code == 200

    def test_anyone_else_gets_404(self, ashas, anonymous_booking, anon, as_bala):
        for client, booking in [
            (anon, ashas),
            (anon, anonymous_booking),
            (as_bala, ashas),
            (as_bala, anonymous_booking),
            (with_token(ashas["access_token"]), anonymous_booking),  # another booking's token
            (with_token(anonymous_booking["access_token"]), ashas),
            (with_token(anonymous_booking["access_token"][:-1]), anonymous_booking),  # a wrong token
            (with_token("é" * 40), anonymous_booking),
        ]:
            assert_error(client.get(url(booking)), 404, "not_found")

    def test_an_id_that_does_not_exist_is_the_same_404(self, as_staff, anon):
        assert_error(as_staff.get(f"{BOOKINGS}999999/"), 404, "not_found")
        assert_error(anon.get(f"{BOOKINGS}{2**70}/"), 404, "not_found")
        assert_error(as_staff.get(f"{BOOKINGS}{2**70}/"), 404, "not_found")

    def test_a_session_login_works_like_a_token(self, ashas, asha):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(asha)
        assert client.get(url(ashas)).status_code == 200
        assert client.get(BOOKINGS).json()["count"] == 1

    def test_a_session_login_needs_the_csrf_token_to_change_anything(self, ashas, asha):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(asha)
        assert_error(client.post(url(ashas, "cancel")), 403, "permission_denied")
        assert booking_row(ashas).status == "pending"


class TestListing:
    def test_anonymous_callers_and_token_holders_may_not_list(self, anon, anonymous_booking):
        assert_error(anon.get(BOOKINGS), 401, "not_authenticated")
        assert_error(with_token(anonymous_booking["access_token"]).get(BOOKINGS), 401, "not_authenticated")
        assert anon.get(BOOKINGS)["WWW-Authenticate"] == "Token"

    def test_customers_see_their_own_and_staff_see_all(self, book, as_asha, as_bala, as_staff, anonymous_booking):
        asha_first, asha_second = book(as_asha, hour=9), book(as_asha, hour=12)
        balas = book(as_bala, hour=13)

        def ids(client):
            return [item["id"] for item in client.get(BOOKINGS).json()["results"]]

        assert ids(as_asha) == [asha_first["id"], asha_second["id"]]
        assert ids(as_bala) == [balas["id"]]
        assert sorted(ids(as_staff)) == sorted(b["id"] for b in (asha_first, asha_second, balas, anonymous_booking))


class TestCancelling:
    def test_its_customer_cancels_it(self, ashas, as_asha):
        response = as_asha.post(url(ashas, "cancel"))
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"
        assert booking_row(ashas).events.latest("id").source == "customer"

    def test_its_token_holder_cancels_it(self, anonymous_booking):
        response = with_token(anonymous_booking["access_token"]).post(url(anonymous_booking, "cancel"))
        assert response.status_code == 200
        event = booking_row(anonymous_booking).events.latest("id")
        assert (event.to_status, event.source, event.actor) == ("cancelled", "customer", None)

    def test_staff_cancel_any(self, ashas, as_staff, desk):
        assert as_staff.post(url(ashas, "cancel")).status_code == 200
        event = booking_row(ashas).events.latest("id")
        assert (event.source, event.actor) == ("staff", desk)

    def test_nobody_else_can_and_nothing_changes(self, ashas, anonymous_booking, anon, as_bala):
        for client, booking in [
            (anon, ashas),
            (anon, anonymous_booking),
            (as_bala, ashas),
            (with_token(ashas["access_token"]), anonymous_booking),
        ]:
            assert_error(client.post(url(booking, "cancel")), 404, "not_found")
        assert set(Booking.objects.values_list("status", flat=True)) == {"pending"}


class TestStaffActions:
    @pytest.mark.parametrize("action", ["confirm", "complete"])
    def test_customers_and_token_holders_may_not(self, action, ashas, anonymous_booking, anon, as_asha):
        assert_error(anon.put(url(ashas, action)), 401, "not_authenticated")
        assert_error(
            with_token(anonymous_booking["access_token"]).put(url(anonymous_booking, action)), 401, "not_authenticated"
        )
        # Even on their own booking, and whether it exists or not: 403 says nothing about the id.
        assert_error(as_asha.put(url(ashas, action)), 403, "permission_denied")
        assert_error(as_asha.put(f"{BOOKINGS}999999/{action}"), 403, "permission_denied")
        assert set(Booking.objects.values_list("status", flat=True)) == {"pending"}

    def test_staff_confirm_then_complete(self, ashas, as_staff, desk):
        assert as_staff.put(url(ashas, "confirm")).json()["status"] == "confirmed"
        assert as_staff.put(url(ashas, "complete")).json()["status"] == "completed"
        events = booking_row(ashas).events.order_by("id")
        assert [(e.to_status, e.source, e.actor) for e in events[1:]] == [
            ("confirmed", "staff", desk),
            ("completed", "staff", desk),
        ]

    def test_staff_get_404_for_a_booking_that_does_not_exist(self, as_staff):
        assert_error(as_staff.put(f"{BOOKINGS}999999/confirm"), 404, "not_found")
