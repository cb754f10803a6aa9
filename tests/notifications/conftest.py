import pytest

from tests.processes import QCluster, live_env
from tests.sandbox.conftest import sandbox  # noqa: F401  (the providers pointed at the live sandbox)


@pytest.fixture
def qcluster(live_server, sandbox, request):  # noqa: F811
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
