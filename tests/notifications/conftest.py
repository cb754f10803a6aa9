import pytest
import requests

from tests.processes import QCluster, live_env


class SandboxInbox:
    """The sandbox's JSON API, as tests read it."""

    def __init__(self, base: str):
        self.base = base

    def messages(self, **filters) -> list[dict]:
        response = requests.get(f"{self.base}/api/messages/", params=filters, timeout=10)
        response.raise_for_status()
        return response.json()["results"]

    def accepted(self, **filters) -> list[dict]:
        """Messages the provider took (not answered with an error)."""
        return [m for m in self.messages(**filters) if m["status"] != "refused"]

    def faults(self, **providers: dict) -> None:
        requests.post(f"{self.base}/api/faults/", json=providers, timeout=10).raise_for_status()


@pytest.fixture
def sandbox(live_server, settings) -> SandboxInbox:
    """This process's providers pointed at the live server's sandbox, its faults reset."""
    base = f"{live_server.url}/sandbox"
    settings.SITE_URL = live_server.url
    settings.TWILIO_API_BASE = f"{base}/twilio"
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_API_URL": f"{base}/postmark/"}
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"  # the test runner swapped in locmem
    requests.delete(f"{base}/api/faults/", timeout=10).raise_for_status()
    return SandboxInbox(base)


@pytest.fixture
def qcluster(live_server, sandbox, request):
    """A real django-q2 cluster working on this test's database and sandbox.
    Retries are fast here so that tests with failures finish in seconds."""
    options = getattr(request, "param", {})
    env = live_env(
        live_server.url,
        NOTIFICATIONS_RETRY_BASE_SECONDS=0.2,
        NOTIFICATIONS_RETRY_MAX_SECONDS=1,
        **options,
    )
    cluster = QCluster(env, name=request.node.name[:80]).start()
    yield cluster
    cluster.stop()
