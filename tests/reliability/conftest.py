"""The reliability suite's tools: figures for the README, gunicorn, a cuttable TCP proxy
in front of the database, and a throwaway Redis that can be stopped."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest
from django.db import connection

from tests.processes import ARTIFACTS, Process, free_port, live_env, wait_for

FIGURES = ARTIFACTS / "reliability-figures.jsonl"
SERVER_SETTINGS = "tests.reliability.server_settings"


def figure(name: str, value, detail: str = "") -> None:
    """A measured figure: printed (pytest -s / -rA) and kept in var/test-logs for the README."""
    broker = "redis" if os.environ.get("REDIS_URL") else "orm"
    line = {"name": name, "value": value, "detail": detail, "database": connection.vendor, "broker": broker}
    print(f"\nFIGURE {name}: {value} {detail} ({connection.vendor}, {broker} broker)")
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a") as out:
        out.write(json.dumps({**line, "at": time.strftime("%Y-%m-%dT%H:%M:%S")}) + "\n")


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (several server processes on one database): the DATABASE_URL runs of make test")


def gunicorn(env: dict, *, name: str, workers: int = 2, threads: int = 1) -> tuple[Process, str]:
    """gunicorn with the project's configuration on a free port: (process, base URL)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
    command += ["--access-logfile", "/dev/null", "bookings_project.wsgi"]
    return Process(command, env, name=name, ready=b"Booting worker"), f"http://127.0.0.1:{port}"


def server_env(live_server_url: str, **extra) -> dict:
    """A server process of ours on the test database: DEBUG off, no throttling in the way."""
    return live_env(live_server_url, DJANGO_SETTINGS_MODULE=SERVER_SETTINGS, BOOKING_CREATE_RATE="100000/min", **extra)


class TcpProxy:
    """127.0.0.1:<port> -> target. cut() drops every connection and refuses new ones (the
    database "disappears"); restore() listens again on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.pairs: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        self._close(self.listener)  # shutdown() wakes the thread blocked in accept()
        with self.lock:
            for sock in self.pairs:
                self._close(sock)
            self.pairs.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._close(source)
        self._close(sink)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()


class ThrowawayRedis:
    """A redis-server of our own on a free port, that a test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="reliability-redis-")
        self.process: subprocess.Popen | None = None

    def start(self) -> "ThrowawayRedis":
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", self.dir]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, interval=0.05, message="the throwaway redis-server")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture
def broker_redis(monkeypatch):
    """Where the Redis broker is configured (REDIS_URL), a throwaway redis-server instead, for
    this process's enqueues (and for the workers the test starts): the test may stop it, and
    no other test run on the machine shares its queue. None on the database broker."""
    if not os.environ.get("REDIS_URL"):
        yield None
        return
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    from django_q.conf import Conf

    redis = ThrowawayRedis().start()
    monkeypatch.setattr(Conf, "REDIS", redis.url)
    yield redis
    redis.stop()
    shutil.rmtree(redis.dir, ignore_errors=True)
