"""`manage.py runsandbox` serves the sandbox alone, on the same tables as the mounted one."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from notifications.twilio_client import twilio_client
from tests import processes

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def standalone():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookings_project.settings_test",
        "DATABASE_URL": processes.database_url_of_this_run(),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runsandbox", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/sandbox/api/faults/", timeout=1)
            break
        except requests.ConnectionError:
            assert process.poll() is None and time.monotonic() < deadline, "runsandbox did not start"
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_the_standalone_sandbox_shares_the_inbox_and_serves_nothing_else(sandbox, standalone, settings):
    settings.TWILIO_API_BASE = f"{standalone}/sandbox/twilio"

    message = twilio_client().messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM, body="Standalone")

    assert [m["sid"] for m in sandbox.messages()] == [message.sid]  # read through the mounted sandbox
    assert requests.get(f"{standalone}/sandbox/", timeout=10).status_code == 200
    assert requests.get(f"{standalone}/admin/", timeout=10).status_code == 404


def test_the_standalone_sandbox_answers_while_another_request_sleeps(sandbox, standalone):
    requests.put(f"{standalone}/sandbox/api/faults/", json={"postmark": {"latency": 2}}, timeout=10)
    assert sandbox.get("api/faults/postmark/")["postmark"]["latency"] == [2, 2]  # one state for every process
    slow = threading.Thread(
        target=requests.post, args=(f"{standalone}/sandbox/postmark/email",), kwargs={"timeout": 10}
    )
    slow.start()
    time.sleep(0.3)

    started = time.monotonic()
    assert requests.get(f"{standalone}/sandbox/api/messages/", timeout=10).status_code == 200
    assert time.monotonic() - started < 1  # threaded: the sleeping request holds one thread only
    slow.join()
