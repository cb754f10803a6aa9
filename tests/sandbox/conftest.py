"""The real Twilio, Razorpay and anymail SDKs against the sandbox of pytest-django's live server."""

import gc
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
import requests

from bookings_project import provider_http
from sandbox import callbacks
from tests.processes import wait_for


class Sandbox:
    """The sandbox's JSON API, as tests read it."""

    def __init__(self, base: str):
        self.base = base

    def get(self, path: str, **params) -> dict:
        response = requests.get(f"{self.base}/{path}", params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def messages(self, **filters) -> list[dict]:
        return self.get("api/messages/", **filters)["results"]

    def payments(self, **filters) -> dict:
        return self.get("api/payments/", **filters)

    def webhooks(self, **filters) -> list[dict]:
        return self.get("api/webhooks/", **filters)["results"]

    def accepted(self, **filters) -> list[dict]:
        """Messages the provider took (not answered with an error)."""
        return [message for message in self.messages(**filters) if message["status"] != "refused"]

    def set_faults(self, **providers: dict) -> dict:
        response = requests.put(f"{self.base}/api/faults/", json=providers, timeout=10)
        response.raise_for_status()
        return response.json()


def eventually(check, timeout: float = 5):
    """Polls `check` until it returns something truthy; the callbacks come later."""
    return wait_for(check, timeout=timeout, interval=0.02)


@pytest.fixture
def sandbox(live_server, settings):
    """This process's SDKs pointed at the live server's sandbox; callbacks quick, webhooks off."""
    base = f"{live_server.url}/sandbox"
    settings.SITE_URL = live_server.url
    settings.TWILIO_API_BASE = f"{base}/twilio"
    settings.RAZORPAY_API_BASE = f"{base}/razorpay"
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_API_URL": f"{base}/postmark/"}
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"  # the test runner swapped in locmem
    settings.SANDBOX_CALLBACK_DELAY = 0.05
    settings.SANDBOX_RAZORPAY_WEBHOOK_URL = ""  # tests that want webhooks send them to a `receiver`
    settings.SANDBOX_POSTMARK_WEBHOOK_URL = ""
    settings.SANDBOX_FAULTS = ""
    yield Sandbox(base)
    # Leave no callback running into the next test (or the dropping of the test database).
    assert callbacks.wait_until_idle(timeout=15)
    # The SDKs' sessions keep their connections to the live server open (keep-alive), and
    # with them a server thread and its database connection: PostgreSQL would refuse to
    # drop the test database. The clients are kept per thread (the test's, the senders'):
    # forgotten and collected, they close their sockets.
    provider_http.forget_every_thread()
    gc.collect()


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def form(self) -> dict:
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """A local HTTP server recording what is POSTed to it: the site's webhook endpoints, played by a test."""

    def __init__(self):
        self.received: list[Received] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(self.path, dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        eventually(lambda: len(self.received) >= count, timeout)
        return self.received


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
