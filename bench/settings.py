"""Settings for the benchmark's baselines only: production settings, the naive booking
path at /bench/naive/bookings/ (bench/naive.py), and BENCH_BLOCKING_NOTIFICATIONS=true,
which sends every message of the site's own bookings inside the request, one after the
other, as the original app first did (django-q2's sync mode runs each task in the
process that enqueues it, here in the request's on_commit).

bookings_project.settings refuses BENCH_BLOCKING_NOTIFICATIONS unless this module is
the settings module, so production cannot turn it on by an environment variable.
"""

import os

from bookings_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_BLOCKING_NOTIFICATIONS", "").lower() in ("1", "true", "yes"):
    Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
    NOTIFICATIONS_SEND_THREADS = 1  # one message after the other, as the original app sent them
