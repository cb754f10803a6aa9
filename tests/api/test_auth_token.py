"""POST /api/auth/token/: DRF's token for a username and password, errors in our shape."""

import pytest

from tests.api.conftest import BOOKINGS, assert_error

TOKEN = "/api/auth/token/"


def test_a_username_and_password_get_a_token_that_logs_in(anon, asha, book):
    response = anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token"}
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anon.get(BOOKINGS).status_code == 200
    # The same token every time (DRF's ObtainAuthToken does the same).
    again = anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"}, format="json")
    assert again.json()["token"] == token


def test_a_form_post_works_as_with_drf(anon, asha):
    response = anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"})  # multipart
    assert response.status_code == 200
    response = anon.post(
        TOKEN, "username=asha&password=asha-secret-pass", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [{"username": "asha", "password": "wrong"}, {"username": "nobody", "password": "asha-secret-pass"}],
)
def test_wrong_credentials_are_400_invalid_credentials(anon, asha, credentials):
    assert_error(anon.post(TOKEN, credentials, format="json"), 400, "invalid_credentials")


def test_an_inactive_user_gets_no_token(anon, asha):
    asha.is_active = False
    asha.save()
    assert_error(
        anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"}, format="json"),
        400,
        "invalid_credentials",
    )


def test_missing_fields_are_400_invalid(anon):
    error = assert_error(anon.post(TOKEN, {}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}


def test_a_stale_token_header_does_not_stop_a_login(anon, asha):
    anon.credentials(HTTP_AUTHORIZATION="Token revoked0000000000000000000000000000000")
    assert anon.post(TOKEN, {"username": "asha", "password": "asha-secret-pass"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token 0123456789abcdef0123456789abcdef01234567", "Invalid token"),
        ("Token", "No credentials"),
        ("Token a b", "spaces"),
        ("Token abc\x00def", "Invalid token"),
        ("Token " + "a" * 5000, "Invalid token"),
    ],
)
def test_a_bad_token_is_401_authentication_failed(db, anon, header, message):
    anon.credentials(HTTP_AUTHORIZATION=header)
    error = assert_error(anon.get(BOOKINGS), 401, "authentication_failed")
    assert message in error["detail"]
