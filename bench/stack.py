"""The processes under test (gunicorn, qcluster, the standalone sandbox), their
environment, and the CPU they spend. Each process runs in its own process group so
that stopping it stops its workers too; every one started here is stopped here."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable

# The sandbox accepts these keys; production settings take them as real ones.
SANDBOX_KEYS = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "sandbox-twilio-auth-token",
    "RAZORPAY_KEY_ID": "rzp_test_sandbox",
    "RAZORPAY_KEY_SECRET": "sandbox-razorpay-key-secret",
    "RAZORPAY_WEBHOOK_SECRET": "sandbox-razorpay-webhook-secret",
    "POSTMARK_SERVER_TOKEN": "sandbox-postmark-server-token",
    "ANYMAIL_WEBHOOK_SECRET": "sandbox:anymail-webhook-secret",
}
EVENTS = ["booking_received", "payment_received", "confirmed", "completed", "cancelled", "refunded", "hold_expired"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Ports:
    def __init__(self):
        self.web, self.baselines_web, self.sandbox = free_port(), free_port(), free_port()
        self.site = f"http://127.0.0.1:{self.web}"
        self.baselines_site = f"http://127.0.0.1:{self.baselines_web}"  # the naive and blocking baselines' gunicorn
        self.sandbox_base = f"http://127.0.0.1:{self.sandbox}/sandbox"


def production_env(ports: Ports, database_url: str, *, redis_url: str = "", q_workers: int, **extra) -> dict:
    """Production settings (DEBUG off) on the bench database, providers played by the sandbox."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SANDBOX_KEYS)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bookings_project.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",  # plain http on loopback; TLS is the proxy's
            "DATABASE_URL": database_url,
            "SITE_URL": ports.site,
            "TWILIO_API_BASE": f"{ports.sandbox_base}/twilio",
            "RAZORPAY_API_BASE": f"{ports.sandbox_base}/razorpay",
            "POSTMARK_API_URL": f"{ports.sandbox_base}/postmark/",
            "WHATSAPP_TEMPLATES": json.dumps({event: f"HX{n:032x}" for n, event in enumerate(EVENTS)}),
            # Every client of the bench comes from 127.0.0.1: the per-address limit would
            # answer 429 to all but 30 bookings a minute.
            "BOOKING_CREATE_RATE": "1000000/s",
            "Q_WORKERS": str(q_workers),
            "CONN_MAX_AGE": "3600",  # sessions last the whole run, for the CPU meter (see gunicorn())
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def sandbox_env(ports: Ports, sqlite_path: Path) -> dict:
    """The sandbox on its own SQLite file; its callbacks and webhooks are put off beyond
    the run, so that the site's CPU is spent on the requests measured."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL",)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bookings_project.settings_test",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{sqlite_path}",
            "SITE_URL": ports.site,
            "SANDBOX_RAZORPAY_WEBHOOK_URL": "",
            "SANDBOX_POSTMARK_WEBHOOK_URL": "",
            "SANDBOX_CALLBACK_DELAY": "86400",
            "LOG_LEVEL": "WARNING",
            # The SDKs keep their connections open, so the sandbox's threads last: each
            # keeps its SQLite connection instead of opening one per call (0.5 ms of CPU).
            "CONN_MAX_AGE": "600",
        }
    )
    return env


class Process:
    def __init__(self, name: str, command: list[str], env: dict):
        self.name, self.command, self.env, self.popen = name, command, env, None
        VAR.mkdir(parents=True, exist_ok=True)
        self.log_path = VAR / f"{name}.log"

    def start(self) -> "Process":
        with self.log_path.open("ab") as log:
            self.log_start = log.tell()  # the log of an earlier process of this name comes before
            self.popen = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_for_log(self, text: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self.log_path.open("rb") as log:
                log.seek(self.log_start)
                if text in log.read():
                    return
            self._check(deadline)

    def wait_for_url(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(url, timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                pass
            self._check(deadline)

    def _check(self, deadline: float) -> None:
        if self.popen.poll() is not None or time.monotonic() > deadline:
            self.stop()  # whoever started it will not: it never got the process
            raise RuntimeError(f"{self.name} did not start; see {self.log_path}")
        time.sleep(0.2)

    def pids(self) -> list[int]:
        if not self.popen or self.popen.poll() is not None:
            return []
        try:
            root = psutil.Process(self.popen.pid)
            return [root.pid, *(child.pid for child in root.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        """SIGTERM to the main process only (it stops its own children; django-q2's cluster
        hangs when they get the signal too), then SIGKILL to whatever is left of the group."""
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=20)
            # Only here: once stopped and reaped, its group id may belong to another process.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


def gunicorn(port: int, env: dict, workers: int, name: str = "gunicorn") -> Process:
    site = f"http://127.0.0.1:{port}"
    command = [PYTHON, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    # No recycling while measuring: a recycled worker's CPU (and its database session's)
    # would drop out of the CPU meter, which samples the processes alive at both ends.
    command += ["--workers", str(workers), "--max-requests", "0", "--access-logfile", "-"]
    # The site imported once, before the workers fork: they start in a fraction of the CPU.
    # (Not in production's config: there `systemctl reload` must load new code.)
    command += ["--preload", "bookings_project.wsgi"]
    process = Process(name, command, env).start()
    process.wait_for_url(f"{site}/healthz")
    for _ in range(workers * 4):  # every worker imports the site before the first measurement
        requests.get(f"{site}/healthz", timeout=5)
    return process


# The worker runs below the web's CPU priority, as deploy/systemd runs it (Nice=10,
# CPUWeight=10): on a saturated machine requests come first and the outbox catches up
# when they pause. The sandbox stands for providers on other machines, which answer in
# the latency they are set to whatever our load: it runs at the web's priority. Below
# the worker's (nice 15) it starved while the web was saturated, answered some sends
# after the SDK's 10 s timeout, and their retries sent 2 SMS twice in one run; and
# Razorpay's answers waited behind the worker's sends.
WORKER_NICE = 10


def lower_priority(process: Process, nice: int) -> None:
    """Nice a process's whole session. Each process here starts a session of its own, and
    Linux's autogroup scheduling shares the CPU between sessions before `nice` counts
    within one, so `nice -n 10` alone left the worker competing as gunicorn's equal
    (measured while the worker sent a backlog at 2-3 s: booking p95 at 8 clients
    60-61 ms with `nice` alone, 43-48 ms with the session niced too)."""
    with contextlib.suppress(OSError):  # no autogroup scheduling in this kernel: nice alone
        Path(f"/proc/{process.popen.pid}/autogroup").write_text(str(nice))


def qcluster(env: dict, name: str = "qcluster") -> Process:
    process = Process(name, ["nice", "-n", str(WORKER_NICE), PYTHON, "manage.py", "qcluster"], env).start()
    lower_priority(process, WORKER_NICE)
    process.wait_for_log(b"running.")
    return process


def sandbox(ports: Ports, env: dict) -> Process:
    command = [PYTHON, "manage.py", "runsandbox", "--port", str(ports.sandbox)]
    process = Process("sandbox", command, env).start()
    process.wait_for_url(f"{ports.sandbox_base}/api/faults/")
    return process


def set_latency(ports: Ports, *, messaging: str, razorpay: str = "0") -> None:
    """Latency in seconds ("2-3", "0.3", "0") of Twilio and the email provider, and of Razorpay."""
    faults = {"twilio": {"latency": messaging}, "postmark": {"latency": messaging}, "razorpay": {"latency": razorpay}}
    requests.put(f"{ports.sandbox_base}/api/faults/", json=faults, timeout=10).raise_for_status()


def pay_in_checkout(ports: Ports, order_id: str) -> dict | None:
    """Pays a Razorpay order in the sandbox's checkout, as the customer would (its webhooks
    held back): the answer is what the app posts to verify-payment; None if refused."""
    response = requests.post(
        f"{ports.sandbox_base}/razorpay/checkout/{order_id}/pay",
        data={"key": SANDBOX_KEYS["RAZORPAY_KEY_ID"], "webhooks": "none"},
        timeout=30,
    )
    return response.json() if response.status_code == 200 else None


class CpuMeter:
    """CPU seconds (user + system) of groups of processes between start() and stop()."""

    def __init__(self, groups):
        self.groups = groups  # name -> callable returning pids

    @staticmethod
    def _sample(pids) -> dict[int, float]:
        sample = {}
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
                sample[pid] = times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return sample

    def start(self) -> None:
        self.before = {name: self._sample(pids()) for name, pids in self.groups.items()}

    def stop(self) -> dict[str, float]:
        spent = {}
        for name, pids in self.groups.items():
            after = self._sample(pids())
            before = self.before.get(name, {})
            spent[name] = sum(value - before.get(pid, 0.0) for pid, value in after.items())
        return spent


def postgres_backends(database_url: str, dbname: str):
    import psycopg

    def pids() -> list[int]:
        with psycopg.connect(database_url, dbname="postgres", autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname]
            )
            return [pid for (pid,) in rows]

    return pids


class Autovacuum:
    """A production PostgreSQL's autovacuum, for the bench's database on a server that runs
    without it (this machine's CI configuration turns it off). Without it the database
    broker's queue table (a row inserted, updated and deleted per task) grew to 10 MB
    around 1,000 live rows, and every dequeue read all of it (1.5 ms).

    As autovacuum's defaults: once a minute, VACUUM each table whose dead rows passed 50 +
    20% of its live ones and ANALYZE each changed by 50 + 10%, at its cost-based pace. Its
    session lasts the run, so that its CPU counts in the database's."""

    NAPTIME = 60  # autovacuum_naptime
    VACUUM = "SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > 50 + 0.2 * n_live_tup"
    ANALYZE = "SELECT relname FROM pg_stat_user_tables WHERE n_mod_since_analyze > 50 + 0.1 * n_live_tup"

    def __init__(self, database_url: str):
        import psycopg

        self.conn = psycopg.connect(database_url, autocommit=True)
        self.needed = self.conn.execute("SHOW autovacuum").fetchone()[0] == "off"
        self.conn.execute("SET vacuum_cost_delay = '2ms'")  # autovacuum_vacuum_cost_delay
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.needed and not self._stop.wait(self.NAPTIME):
            for command, query in (("VACUUM", self.VACUUM), ("ANALYZE", self.ANALYZE)):
                for (table,) in self.conn.execute(query).fetchall():
                    self.conn.execute(f'{command} "{table}"')

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()
        self.conn.close()
