"""Under the Content-Security-Policy, in a real browser: our enhancement script, the Django
admin, the API docs (Swagger UI) and the sandbox's pages all work, and nothing is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_picking_a_day_loads_its_times_without_a_reload(page, site, service, tomorrow):
    page.goto(f"{site}/services/{service.slug}/")
    page.evaluate("window.notReloaded = true")

    page.locator(f'a.day[data-date="{tomorrow:%Y-%m-%d}"]').click()

    page.get_by_role("heading", name=f"Free times on {tomorrow:%A} {tomorrow.day} {tomorrow:%B}").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith(f"?date={tomorrow:%Y-%m-%d}")
    assert page.locator(f'a.day[data-date="{tomorrow:%Y-%m-%d}"]').get_attribute("aria-current") == "date"
    page.go_back()
    today = tomorrow - timedelta(days=1)
    page.get_by_role("heading", name=f"Free times on {today:%A} {today.day} {today:%B}").wait_for()
    assert page.locator("a.day").first.get_attribute("aria-current") == "date"
    assert page.errors == []


def test_the_admin_works_under_the_policy(new_page, site, service):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "a-long-password")
    page = new_page(DESKTOP)
    change = f"/admin/bookings/service/{service.pk}/change/"

    page.goto(f"{site}/admin/login/?next={change}")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{change}")
    page.get_by_role("button", name="Save", exact=True).wait_for()
    page.get_by_text("Add another Opening hours").click()  # the admin's own scripts run
    assert page.locator(".dynamic-opening_hours").count() == 8
    page.goto(f"{site}/admin/bookings/booking/")

    assert page.errors == []


def test_the_api_docs_work_under_the_policy(new_page, site):
    page = new_page(DESKTOP)

    page.goto(f"{site}/api/docs/")

    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/services/").first.wait_for()
    assert page.errors == []


def test_the_sandbox_inbox_works(new_page, site):
    page = new_page(DESKTOP)

    page.goto(f"{site}/sandbox/")

    assert page.errors == []
