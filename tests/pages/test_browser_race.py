"""Two customers, each in a browser of their own, race for the last place of a time: one
gets it, the other is told kindly and offered the nearest free times."""

import re

import pytest

from bookings.models import Booking
from bookings.services import booking_create
from tests.conftest import local

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_form(page, site, start, name: str, phone: str) -> None:
    page.goto(f"{site}/services/yoga/book/?start={start.isoformat().replace('+', '%2B')}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Mobile number").fill(phone)


def test_two_customers_race_for_the_last_place_and_one_gets_it(new_page, site, make_service, tomorrow, customer):
    service = make_service("yoga", name="Morning yoga", capacity=2)
    start = local(tomorrow, 10)
    first = booking_create(service=service, start=start, **customer)  # one place left
    asha, ravi = new_page(), new_page()
    fill_form(asha, site, start, "Meera Shah", "+91 98765 00001")
    fill_form(ravi, site, start, "Ravi Kumar", "+91 98765 00002")

    # Both press Book before either page has its answer.
    asha.get_by_role("button", name="Book").click(no_wait_after=True)
    ravi.get_by_role("button", name="Book").click(no_wait_after=True)
    for page in (asha, ravi):
        page.wait_for_load_state()
        page.wait_for_function("document.querySelector('.status-label, #id_start_error')")

    won = [page for page in (asha, ravi) if re.search(r"/b/BK-\w+/", page.url)]
    lost = [page for page in (asha, ravi) if page not in won]
    assert len(won) == 1 and len(lost) == 1
    assert Booking.objects.filter(start=start).count() == 2  # capacity, not one more
    winner = Booking.objects.exclude(pk=first.pk).get()
    assert won[0].url.endswith(f"/b/{winner.reference}/{winner.access_token}/")

    loser = lost[0]
    assert "Sorry, someone else has just taken this time." in loser.locator("#id_start_error").inner_text()
    assert loser.locator("input[name=start][type=radio]").count() == 3  # the nearest free times
    loser.get_by_role("radio", name=re.compile(r"\b11:00\b")).check()
    loser.get_by_role("button", name="Book").click()
    loser.wait_for_url(re.compile(r"/b/BK-\w+/"))
    assert loser.locator(".status-label").inner_text() == "Pending"
    assert Booking.objects.filter(start=local(tomorrow, 11)).count() == 1
