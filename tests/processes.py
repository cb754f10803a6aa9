"""Real processes for tests that claim "the worker did it": a django-q2 cluster on the
test database, talking to the sandbox of the live server."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "var" / "test-logs"


def database_url_of_this_run() -> str:
    """The database the test run created, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def live_env(live_server_url: str, **extra) -> dict:
    """The environment of a process serving or working for the test's live server."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bookings_project.settings_test",
        "DATABASE_URL": database_url_of_this_run(),
        "SITE_URL": live_server_url,
        "SANDBOX_URL": f"{live_server_url}/sandbox",
        **{key: str(value) for key, value in extra.items()},
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A command of ours in its own process group (so it can be killed as a whole),
    logging to var/test-logs/<name>.log; started once its log shows `ready`."""

    def __init__(self, command: list[str], env: dict, *, name: str, ready: bytes):
        self.command, self.env, self.name, self.ready, self.process = command, env, name, ready, None
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.log_path = ARTIFACTS / f"{name}.log"
        self.log_path.write_bytes(b"")  # restarts within one test append to it

    def start(self, timeout: float = 30) -> "Process":
        offset = self.log_path.stat().st_size
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while self.ready not in self.log_path.read_bytes()[offset:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start; see {self.log_path}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL the cluster and every worker: nothing gets to clean up."""
        with contextlib.suppress(ProcessLookupError):  # nothing of the group is left
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM to the main process only, as systemd's KillMode=mixed does: it stops its
        children itself (django-q2's cluster hangs when they get the signal too)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
            self.kill()  # whatever it left behind


class QCluster(Process):
    """`manage.py qcluster`."""

    def __init__(self, env: dict, name: str = "qcluster"):
        super().__init__([sys.executable, "manage.py", "qcluster"], env, name=name, ready=b"running.")


def wait_for(condition, *, timeout: float, interval: float = 0.2, message: str = "condition"):
    """Poll `condition` until it returns something truthy; that value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def drain_queue() -> list[dict]:
    """Take every task off this run's broker (database or Redis) and return them, unsigned."""
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker, tasks = get_broker(), []
    while batch := broker.dequeue():
        tasks += [SignedPackage.loads(payload) for _, payload in batch]
    return tasks
