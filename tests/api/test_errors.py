"""Every error under /api/ is JSON {"code", "detail", "fields"}, Django's own 404 and 500 included."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import BOOKINGS, assert_error


def test_an_unknown_api_path_is_a_json_404(anon):
    assert_error(anon.get("/api/no-such-thing/"), 404, "not_found")
    assert_error(anon.get(f"{BOOKINGS}-1/"), 404, "not_found")
    assert_error(anon.get("/api/services/not%20a%20slug/slots/"), 404, "not_found")


def test_pages_outside_the_api_keep_djangos_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_an_endpoint_does_not_have_is_405(anon, db):
    error = assert_error(anon.delete("/api/services/"), 405, "method_not_allowed")
    assert '"DELETE"' in error["detail"]


def test_asking_for_something_other_than_json_is_406(anon, db):
    assert_error(anon.get("/api/services/", HTTP_ACCEPT="text/html"), 406, "not_acceptable")


@pytest.mark.urls("tests.api.crashing_urls")
@pytest.mark.parametrize("path", ["/api/broken/", "/api/broken-page/"])
def test_a_bug_is_a_json_500_that_tells_nothing_of_the_code(db, path):
    response = APIClient(raise_request_exception=False).get(path)
    error = assert_error(response, 500, "server_error")
    assert "RuntimeError" not in response.content.decode()
    assert error["fields"] == {}


@pytest.mark.urls("tests.api.crashing_urls")
def test_a_bug_outside_the_api_keeps_djangos_500_page(db):
    response = APIClient(raise_request_exception=False).get("/broken-page/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_djangos_own_400_is_json_under_the_api(client, settings, db):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/api/services/", HTTP_HOST="evil.example")
    assert_error(response, 400, "bad_request")
    assert client.get("/admin/login/", HTTP_HOST="evil.example")["Content-Type"].startswith("text/html")
