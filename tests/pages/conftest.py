"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server,
whose sandbox plays Twilio, Razorpay (with Checkout) and Postmark.

No browser is downloaded: `apt-get install chromium` provides /usr/bin/chromium, and the
tests are skipped, saying so, where it is missing. Each browser test saves a screenshot of
its last page under test-artifacts/.
"""

import gc
import re
from pathlib import Path

import pytest
import requests
from django.db import connections

from sandbox import callbacks
from tests.processes import QCluster, live_env

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser(monkeypatch):
    """A headless chromium for one test (Playwright's sync API runs an event loop in this
    thread while it is open: closing it after each test keeps the others free of it)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (requirements-dev)")
    # With that loop running Django refuses ORM calls from this thread ("async context"),
    # though the test's own reads and writes are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Django keeps the connections of a thread running an event loop apart, per context:
        # the ones the test used meanwhile are closed here, while that loop still runs.
        connections.close_all()


@pytest.fixture
def site(live_server, settings):
    """The live server's URL, with this process's providers pointed at its sandbox."""
    base = f"{live_server.url}/sandbox"
    settings.SITE_URL = live_server.url
    settings.TWILIO_API_BASE = f"{base}/twilio"
    settings.RAZORPAY_API_BASE = f"{base}/razorpay"
    settings.RAZORPAY_CHECKOUT_JS = f"{base}/razorpay/checkout.js"
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_API_URL": f"{base}/postmark/"}
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"  # the test runner swapped in locmem
    settings.SANDBOX_CALLBACK_DELAY = 0.05
    requests.delete(f"{base}/api/faults/", timeout=10).raise_for_status()
    yield live_server.url
    # Leave no sandbox callback (webhooks, delivery receipts) running into the next test or
    # the dropping of the test database, and no SDK connection holding a server thread.
    assert callbacks.wait_until_idle(timeout=15)
    gc.collect()


@pytest.fixture
def inbox(site):
    """The messages the sandbox's providers accepted, as dicts (its JSON API)."""

    def messages(**filters) -> list[dict]:
        response = requests.get(f"{site}/sandbox/api/messages/", params=filters, timeout=10)
        response.raise_for_status()
        return [m for m in response.json()["results"] if m["status"] != "refused"]

    return messages


@pytest.fixture
def qcluster(site, request):
    """A real django-q2 cluster sending this test's messages to the live server's sandbox."""
    env = live_env(site, NOTIFICATIONS_RETRY_BASE_SECONDS=0.2, NOTIFICATIONS_RETRY_MAX_SECONDS=1)
    cluster = QCluster(env, name=request.node.name[:80]).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def new_page(browser, request):
    """Opens pages, each in a browser context of its own (its own cookies: another
    customer); the last page of each is saved under test-artifacts/ at the end."""
    contexts = []

    def open_page(viewport: dict = PHONE):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: _is_error(message) and page.errors.append(message.text))
        return page

    yield open_page
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for n, context in enumerate(contexts, start=1):
        suffix = f"-{n}" if len(contexts) > 1 else ""
        for page in context.pages[-1:]:
            page.screenshot(path=SCREENSHOTS / f"{name}{suffix}.png", full_page=True)
        context.close()


def _is_error(message) -> bool:
    """A console error (a script error, a resource refused by the CSP or not found), other
    than the browser's own request for /favicon.ico on pages that do not name an icon."""
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


@pytest.fixture
def page(new_page):
    return new_page()
