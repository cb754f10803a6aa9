"""The benchmark itself works: `python -m bench.run --smoke` (11-44 s by the VM, tiny load) starts the
stack on a database of its own, runs every kind of scenario, stops what it started and
writes its table. The numbers are not checked here; `make bench` is for those."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from django.db import connection

from tests.processes import database_url_of_this_run

pytestmark = [pytest.mark.queue, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parent.parent


def test_the_bench_runs_and_writes_its_table(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the bench runs on PostgreSQL (make test's PostgreSQL part)")
    if importlib.util.find_spec("locust") is None:  # not imported: it monkey-patches threads (gevent)
        pytest.skip("bench/requirements.txt is not installed")
    admin_url = database_url_of_this_run().rsplit("/", 1)[0] + "/postgres"
    database = f"bookings_bench_smoke{os.environ.get('TEST_DB_SUFFIX', '')}"
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    command = [sys.executable, "-m", "bench.run", "--smoke", "--redis", "", "--database", database]
    command += ["--postgres", admin_url, "--out", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    table = (tmp_path / "smoke.md").read_text()
    assert "| floor | 1 |" in table and "| booking | 1 |" in table and "BLOCKING baseline" in table
    naive = "| naive booking, queue worker stopped | 1 |"
    assert naive in table and "| booking, queue worker stopped | 1 | " in table.split("Against the naive path")[1]
    assert "the naive path's, set aside unsent: " in table
    assert "Every message delivered: **yes**" in table
    assert (tmp_path / "smoke.png").stat().st_size > 0
    results = json.loads((tmp_path / "smoke.json").read_text())
    assert all(run["count"] > 0 for run in results["runs"])
    assert results["slots_check"]["crowded"]["queries"] == results["slots_check"]["empty"]["queries"]
    left = {p.pid for p in psutil.Process().children(recursive=True)} - before
    assert not left, "the bench left processes running"
