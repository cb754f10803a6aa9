"""Database down: the API answers 503 JSON `service_unavailable`, the pages a friendly 503
page, never a stack trace; both recover by themselves when the database is back."""

import pytest
import requests
from django.db import connection
from django.test import Client

from tests.conftest import local
from tests.reliability.conftest import TcpProxy, gunicorn, needs_postgresql, server_env

pytestmark = pytest.mark.django_db(transaction=True)


def assert_api_unavailable(status: int, headers, body: dict) -> None:
    assert status == 503, body
    assert headers["Content-Type"] == "application/json"
    assert body["code"] == "service_unavailable" and body["detail"] and body["fields"] == {}
    assert headers["Retry-After"] == "30"


def assert_page_unavailable(status: int, headers, text: str) -> None:
    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert "We will be back in a moment" in text
    assert "Traceback" not in text and "OperationalError" not in text


def booking_body(service, tomorrow, hour: int) -> dict:
    return {
        "service": service.slug,
        "start": local(tomorrow, hour).isoformat(),
        "customer": {"name": "Asha Rao", "phone": "+91 98765 43210"},
    }


def test_in_process_an_unreachable_database_is_a_503_and_the_next_request_works(
    service, tomorrow, monkeypatch, tmp_path
):
    """Any database: the connection's address is made wrong, as if the server went away."""
    client = Client(raise_request_exception=False)
    connection.close()
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "gone" / "db.sqlite3"))
    else:
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(_closed_port()))

    for response in (
        client.get("/api/services/"),
        client.post("/api/bookings/", booking_body(service, tomorrow, 10), content_type="application/json"),
        client.get(f"/api/services/{service.slug}/slots/?date={tomorrow}"),
    ):
        assert_api_unavailable(response.status_code, response.headers, response.json())
    for path in ("/", f"/services/{service.slug}/"):
        response = client.get(path)
        assert_page_unavailable(response.status_code, response.headers, response.content.decode())

    monkeypatch.undo()
    assert client.get("/api/services/").status_code == 200
    assert client.get("/").status_code == 200
    response = client.post("/api/bookings/", booking_body(service, tomorrow, 10), content_type="application/json")
    assert response.status_code == 201, response.content


def _closed_port() -> int:
    from tests.processes import free_port

    return free_port()  # bound a moment ago and released: nothing listens there


@pytest.mark.queue
def test_postgresql_cut_under_gunicorn_then_back(live_server, service, tomorrow):
    """gunicorn (2 workers, connections kept with CONN_MAX_AGE) reaches PostgreSQL through a
    proxy the test cuts: kept connections die and new ones are refused."""
    needs_postgresql()
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = f"postgres://{auth}@127.0.0.1:{proxy.port}/{db['NAME']}"
    server, base = gunicorn(server_env(live_server.url, DATABASE_URL=database_url), name="reliability-db-down")
    server.start()
    try:
        for _ in range(4):  # both workers hold a connection
            assert requests.get(f"{base}/api/services/", timeout=10).status_code == 200
        proxy.cut()

        for _ in range(3):
            response = requests.get(f"{base}/api/services/", timeout=30)
            assert_api_unavailable(response.status_code, response.headers, response.json())
            response = requests.post(f"{base}/api/bookings/", json=booking_body(service, tomorrow, 10), timeout=30)
            assert_api_unavailable(response.status_code, response.headers, response.json())
            response = requests.get(f"{base}/", timeout=30)
            assert_page_unavailable(response.status_code, response.headers, response.text)
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 503 and ready.json()["checks"]["database"]["ok"] is False

        proxy.restore()  # nothing restarted: every request from now on works
        for hour in (10, 11, 12):
            assert requests.get(f"{base}/api/services/", timeout=10).status_code == 200
            assert requests.get(f"{base}/", timeout=10).status_code == 200
            booked = requests.post(f"{base}/api/bookings/", json=booking_body(service, tomorrow, hour), timeout=10)
            assert booked.status_code == 201, booked.text
        assert requests.get(f"{base}/readyz", timeout=10).json()["checks"]["database"]["ok"] is True
    finally:
        server.stop()
        proxy.cut()
    log = server.log_path.read_text()
    assert "Service Unavailable: /api/services/" in log  # logged for operators, with its cause
