"""`make bench`: the whole benchmark in one run, on this machine.

Starts, on a database of its own (created, migrated and seeded here), PostgreSQL-backed
gunicorn with production settings, a qcluster and the standalone sandbox, drives the API
with locust (bench/load.py, a separate process) at several concurrencies, measures the
outbox, and writes a markdown table, a JSON file and a chart to bench/results/.
Every process it starts it stops, whatever happens.

    python -m bench.run [--workers 4] [--q-workers 8] [--duration 5] [--smoke]
"""

import argparse
import concurrent.futures
import json
import os
import platform
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import redis

from bench import lines, report, stack
from bench.stack import ROOT, VAR

SLOW, FAST, NONE = "2-3", "0.3", "0"


class Progress:
    """One line redrawn twice a second: steps done, the current step, time spent."""

    def __init__(self, total: int):
        self.total, self.done, self.label, self.began = total, 0, "starting", time.monotonic()
        self.tty = sys.stderr.isatty()
        self._stop = threading.Event()
        threading.Thread(target=self._draw_forever, daemon=True).start()

    def step(self, label: str) -> None:
        self.done = min(self.done + 1, self.total)
        self.label = label
        if not self.tty:
            print(f"[{self.done}/{self.total} {self.elapsed()}] {label}", file=sys.stderr, flush=True)

    def elapsed(self) -> str:
        seconds = int(time.monotonic() - self.began)
        return f"{seconds // 60}m{seconds % 60:02d}s"

    def _draw_forever(self) -> None:
        while not self._stop.wait(0.5):
            if self.tty:
                self.draw()

    def draw(self) -> None:
        width = 30
        filled = int(width * self.done / self.total)
        line = f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.elapsed()} "
        sys.stderr.write(f"{line}{self.label[:60]:<60}")
        sys.stderr.flush()

    def close(self) -> None:
        self._stop.set()
        if self.tty:
            self.draw()
            sys.stderr.write("\n")


class Bench:
    def __init__(self, options):
        self.o = options
        self.ports = stack.Ports()
        self.admin_url = options.postgres
        self.db_url = options.postgres.rsplit("/", 1)[0] + f"/{options.database}"
        self.sandbox_db = VAR / f"sandbox-{options.database}.sqlite3"
        self.data_path = VAR / f"data-{options.database}.json"
        self.results: dict = {"runs": [], "notifications": {}, "options": vars(options)}
        self.run_id = 0
        self.naive_runs: list[int] = []
        self.running: list = []  # every process started, for stop_everything()
        self.dbtasks: dict[str, lines.Helper] = {}
        self.load = self.started(lines.Helper("bench.load", dict(os.environ), VAR / "load.log", ROOT))  # locust
        self.web = self.worker = self.sandbox = self.baselines = None
        self.host = self.ports.site  # where the load goes
        self.meter = None

    # --- processes -------------------------------------------------------------------

    def env(self, **extra) -> dict:
        return stack.production_env(self.ports, self.db_url, q_workers=self.o.q_workers, **extra)

    def dbtask(self, command: str, env: dict | None = None, **args) -> dict:
        env = env or self.env()
        key = env.get("REDIS_URL", "")  # the only difference between the environments used
        if key not in self.dbtasks:
            log = VAR / f"dbtasks-{'redis' if key else 'orm'}.log"
            self.dbtasks[key] = self.started(lines.Helper("bench.dbtasks", env, log, ROOT))
        return self.dbtasks[key](command, **args)

    def migrate_databases(self) -> None:
        with psycopg.connect(self.admin_url, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.o.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.o.database}"')
        self.sandbox_db.unlink(missing_ok=True)
        migrate = [sys.executable, "manage.py", "migrate", "--noinput"]
        sandbox_env = stack.sandbox_env(self.ports, self.sandbox_db)
        sandbox = subprocess.Popen(migrate, cwd=ROOT, env=sandbox_env, stdout=subprocess.DEVNULL)
        self.dbtask("migrate")  # the site's database, by the process that seeds it next
        if sandbox.wait():
            raise RuntimeError("the sandbox's migrate failed")
        self.started(stack.Autovacuum(self.db_url))

    def start_everything(self) -> None:
        """Seeds the data while the sandbox, the site, its worker and the baselines' site
        (the naive path and the blocking baseline) start, side by side: none waits for another."""
        sandbox_env = stack.sandbox_env(self.ports, self.sandbox_db)
        # The blocking baseline sends inside its requests (django-q2's sync mode): no worker of
        # its own; the naive path's tasks go to the site's worker.
        baselines_env = self.env(DJANGO_SETTINGS_MODULE="bench.settings", BENCH_BLOCKING_NOTIFICATIONS="true")
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            jobs = [
                pool.submit(self.dbtask, "seed", crowd=self.o.crowd),
                pool.submit(lambda: self.started(stack.sandbox(self.ports, sandbox_env))),
                pool.submit(self.start_site),
                pool.submit(
                    lambda: self.started(
                        stack.gunicorn(
                            self.ports.baselines_web, baselines_env, self.o.workers, name="gunicorn-baselines"
                        )
                    )
                ),
            ]
        self.data, self.sandbox, _, self.baselines = [job.result() for job in jobs]
        self.write_data()

    def started(self, process):
        """`process` (a stack.Process or a lines.Helper), stopped when the bench ends, whatever happens."""
        self.running.append(process)
        return process

    def stop_everything(self) -> None:
        """Side by side: each stop waits for its process to finish what it is doing."""
        with concurrent.futures.ThreadPoolExecutor(max(len(self.running), 1)) as pool:
            list(pool.map(lambda process: process.stop(), self.running))

    def write_data(self, **items) -> Path:
        path = self.data_path
        path.write_text(json.dumps({**self.data, **{name: {"items": value} for name, value in items.items()}}))
        return path

    def start_site(self, *, redis_url: str = "") -> None:
        """(Re)start gunicorn and the qcluster, on the ORM broker or Redis: both stopped, then both
        started, side by side."""
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda process: process.stop(), filter(None, (self.web, self.worker))))
        if redis_url:
            # The bench's own Redis database, emptied: tasks an earlier run or anything else
            # left in its queue would be the new cluster's first work, on our database.
            redis.Redis.from_url(redis_url).flushdb()
        self.suffix = "redis" if redis_url else "orm"
        self.broker_env = self.env(**({"REDIS_URL": redis_url} if redis_url else {}))
        # Each registered by its own thread once started: if the other fails, the bench still stops it.
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            name = f"gunicorn-{self.suffix}"
            web = pool.submit(
                lambda: self.started(stack.gunicorn(self.ports.web, self.broker_env, self.o.workers, name))
            )
            worker = pool.submit(self.start_worker)  # sets self.worker
        worker.result()  # what either raised, raised here
        self.web = web.result()
        self.measure(self.web)

    def start_worker(self) -> None:
        self.worker = self.started(stack.qcluster(self.broker_env, f"qcluster-{self.suffix}"))

    def measure(self, web: stack.Process) -> None:
        """The CPU meter's processes: `web` (the site the load goes to), the worker, the database;
        the sandbox's CPU is the providers' (on other machines in production): shown, never ours."""
        self.meter = stack.CpuMeter(
            {
                "web": web.pids,
                "worker": lambda: self.worker.pids(),
                "db": stack.postgres_backends(self.admin_url, self.o.database),
                "sandbox": lambda: self.sandbox.pids(),
            }
        )

    def use_site(self, *, baselines: bool = False) -> None:
        """Where the load goes and whose CPU is measured: the site, or the baselines' site."""
        self.host = self.ports.baselines_site if baselines else self.ports.site
        self.measure(self.baselines if baselines else self.web)

    def booking_and_naive(self, users: int, *, label: str) -> dict:
        """Our booking, then the same by the naive path at once: the yardstick of issue 9's
        targets, on this machine as it is now (VMs drift within minutes)."""
        run = self.locust("booking", users, label=label)
        self.use_site(baselines=True)
        self.naive_runs.append(self.locust("booking-naive", users, label=f"naive {label}")["run"])
        self.use_site()
        return run

    # --- load ------------------------------------------------------------------------

    def locust(self, scenario: str, users: int, *, label: str | None, duration: float | None = None, **items) -> dict:
        """One run of `scenario` at `users` clients (bench/load.py), its figures and the CPU spent
        meanwhile; reported unless `label` is None (a run that only makes items for later ones)."""
        self.run_id += 1
        data = self.write_data(**items)
        job = {"scenario": scenario, "users": users, "seconds": duration or self.o.duration, "host": self.host}
        self.meter.start()
        stats = self.load("run", **job, data=str(data), run=self.run_id)
        cpu = self.meter.stop()
        requests_done = stats["count"] or 1
        run = {
            "scenario": scenario,
            "label": label,
            "clients": users,
            "run": self.run_id,
            **stats,
            "cpu_ms_per_request": {name: 1000 * seconds / requests_done for name, seconds in cpu.items()},
        }
        if label is not None:
            self.results["runs"].append({key: value for key, value in run.items() if key != "created"})
        return run

    def pay(self, order_ids: list[str]) -> list[dict]:
        """Pays each order in the sandbox's checkout, as the customer would; the answers
        are what the app posts to verify-payment."""

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = pool.map(lambda order_id: stack.pay_in_checkout(self.ports, order_id), order_ids)
            return [answer for answer in answers if answer]

    def wait_drained(self, timeout: float) -> dict:
        """The outbox's rows by status, once none is left to send (or at the timeout)."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.db_url, autocommit=True) as conn:
            # Polled on the partial index of rows to send: counting every row five times a
            # second took PostgreSQL 13 ms each time once the table held 65,000.
            pending = "SELECT EXISTS (SELECT 1 FROM notifications_notification WHERE status IN ('queued', 'sending'))"
            while conn.execute(pending).fetchone()[0] and time.monotonic() < deadline:
                time.sleep(0.2)
            return dict(conn.execute("SELECT status, count(*) FROM notifications_notification GROUP BY status"))


def loop_seconds() -> float:
    """Seconds a fixed pure-Python loop takes: how fast this machine is now. VMs differ
    by several times between sessions and drift within one, so runs are compared by it."""
    began = time.process_time()
    total = 0
    for step in range(5_000_000):
        total += step
    return round(time.process_time() - began, 2)


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    import psutil

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres") as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": pg,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # One gunicorn worker per core: measured on 2 cores at 8 clients, 2 workers served 270-295
    # bookings/s (p95 35-39 ms), 4 workers 226-232 (p95 44-46 ms): more processes than cores
    # only add switching, as a booking waits little on the database.
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2)), help="gunicorn"
    )
    parser.add_argument("--q-workers", type=int, default=int(os.environ.get("BENCH_Q_WORKERS", 28)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 5)), help="s per run")
    parser.add_argument("--clients", default=os.environ.get("BENCH_CLIENTS", "1,8,32"))
    parser.add_argument("--crowd", type=int, default=10_000, help="bookings on the day whose slots are timed")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "bookings_bench"))
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--smoke", action="store_true", help="seconds, tiny load: checks the bench itself works")
    options = parser.parse_args(argv)
    if options.smoke:  # the bench itself works: every kind of run once, briefly, providers quick
        global SLOW
        options.duration, options.clients, options.q_workers, options.crowd, SLOW = 0.3, "1", 4, 1000, "0.2-0.3"
    options.clients = [int(c) for c in options.clients.split(",")]
    VAR.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    speed_before = loop_seconds()
    bench = Bench(options)
    progress = Progress(total=steps(options))
    try:
        scenarios(bench, progress)
    finally:
        progress.label = "stopping every process"
        bench.stop_everything()
        progress.close()
    bench.results["machine"] = {**machine(), "loop_seconds": [speed_before, loop_seconds()]}
    bench.results["seconds"] = round(time.monotonic() - began)
    bench.results["finished"] = datetime.now().isoformat(timespec="seconds")
    table = report.write(bench.results, Path(options.out), smoke=options.smoke)
    print(table)
    return 0


def steps(o) -> int:
    """The progress steps that scenarios() will take."""
    per = len(o.clients)
    blocking = min(2, per)
    if o.smoke:
        redis = 3 if o.redis else 0  # the restart, light load at 0 s, throughput at 0.3 s
        # floor, booking, booking beside the naive path with the worker stopped, booking at 0 s
        return 4 + 4 * per + 3 + redis + blocking  # 3: the drain, throughput, the final count
    redis = 6 if o.redis else 0  # the restart, booking, light load twice, throughput twice
    # 7 runs at each concurrency (floor, slots, booking, razorpay-booking, verify-payment,
    # confirm, booking at 0 s) and the worker-stopped bookings beside the naive path's; 8 steps after those runs:
    # more orders, paying, the two runs with Razorpay slow, the drain, throughput twice, the final count
    return 5 + 8 * per + 8 + redis + blocking


def scenarios(bench: Bench, progress: Progress) -> None:
    o, results = bench.o, bench.results
    progress.step("databases: create, migrate")
    bench.migrate_databases()
    progress.step(
        f"seeding {o.crowd:,} bookings; starting the sandbox, gunicorn ({o.workers} workers) with qcluster "
        f"({o.q_workers} workers, ORM broker), and the baselines' gunicorn"
    )
    bench.start_everything()
    progress.step(f"slots for a day with {o.crowd:,} bookings")
    results["slots_check"] = bench.dbtask("slots_check", repeat=5 if o.smoke else 50)
    notes = results["notifications"]
    outbox_latency(bench, progress, "orm")
    stack.set_latency(bench.ports, messaging=SLOW)

    booking_runs = {}
    for scenario in ("floor", "slots", "booking") if not o.smoke else ("floor", "booking"):
        for users in o.clients:
            progress.step(f"{scenario}, {users} clients")
            run = bench.locust(scenario, users, label=f"{scenario}")
            booking_runs.setdefault(scenario, []).append(run)
    # The same bookings while the queue worker is stopped (their messages wait in the
    # outbox): what the web and the database alone do, without the worker sending the
    # backlog of the runs before on the same cores; each beside the naive path's.
    bench.worker.stop()
    stopped = []
    for users in o.clients:
        progress.step(f"booking and naive booking, queue worker stopped, {users} clients")
        stopped.append(bench.booking_and_naive(users, label="booking, queue worker stopped"))
    bench.dbtask("set_aside", runs=bench.naive_runs)
    bench.start_worker()
    if not o.smoke:
        orders, made = [], 0
        for users in o.clients:
            progress.step(f"razorpay-booking, {users} clients")
            made = bench.locust("razorpay-booking", users, label="razorpay-booking")["created"]
            orders += made
        # verify-payment answers as fast as a booking and razorpay-booking waits on Razorpay
        # for each order: the runs' orders would not last the verify-payment runs. The rest
        # are made at the rate of the last run (at the most clients), 20 kept for the slow run.
        missing = 20 + round(1.3 * sum(run["count"] for run in booking_runs["booking"])) - len(orders)
        progress.step(f"making about {max(0, missing)} more orders for verify-payment, unmeasured")
        if missing > 0:
            seconds = missing / max(len(made), 1) * o.duration
            orders += bench.locust("razorpay-booking", max(o.clients), label=None, duration=seconds)["created"]
        progress.step(f"paying {len(orders)} orders in the sandbox's checkout")
        answers = bench.pay(orders)
        slow_answers, answers = answers[:20], answers[20:]
        for users in o.clients:
            progress.step(f"verify-payment, {users} clients")
            run = bench.locust("verify-payment", users, label="verify-payment", **{"verify-payment": answers})
            used = {answer["razorpay_order_id"] for answer in run["created"]}
            answers = [answer for answer in answers if answer["razorpay_order_id"] not in used]
        pending = bench.dbtask("pending", runs=[run["run"] for run in booking_runs["booking"] + stopped])["items"]
        for users in o.clients:
            progress.step(f"staff confirm, {users} clients")
            run = bench.locust("confirm", users, label="confirm", confirm=pending)
            used = set(run["created"])
            pending = [pk for pk in pending if pk not in used]
        stack.set_latency(bench.ports, messaging=SLOW, razorpay=SLOW)
        progress.step("razorpay-booking with Razorpay at 2-3 s, 1 client")
        bench.locust("razorpay-booking", 1, label="razorpay-booking, Razorpay 2-3 s", duration=3 * o.duration)
        progress.step("verify-payment with Razorpay at 2-3 s, 1 client")
        bench.locust(
            "verify-payment",
            1,
            label="verify-payment, Razorpay 2-3 s",
            duration=3 * o.duration,
            **{"verify-payment": slow_answers},
        )

    # The first booking run began with an empty outbox: so do these, or they would
    # measure the worker draining the backlog of every run before them.
    # Providers at 0 s meanwhile: this wait is not measured, and is the bench's longest.
    progress.step("waiting for the outbox to drain (providers at 0 s)")
    stack.set_latency(bench.ports, messaging=NONE)
    results["drained_after_http"] = bench.wait_drained(600)
    for users in o.clients:
        progress.step(f"booking with providers at 0 s, {users} clients")
        bench.locust("booking", users, label="booking, providers 0 s")
        bench.wait_drained(120)
    notes["orm_saturated_slow"] = bench.dbtask(
        "timings", runs=[booking_runs["booking"][-1]["run"]], sandbox_db=str(bench.sandbox_db), event="booking_received"
    )
    throughput(bench, progress, "orm")

    if o.redis:
        progress.step("gunicorn and qcluster on Redis")
        bench.start_site(redis_url=o.redis)
        outbox_latency(bench, progress, "redis")  # on an empty queue; its bookings warm the site
        if not o.smoke:
            # The production stack: on Redis the queue's statements are not PostgreSQL's,
            # where the database broker's compete with the web's at the database's priority.
            # One concurrency: the messages it leaves are drained before the throughput runs.
            users = o.clients[1] if len(o.clients) > 1 else o.clients[0]
            progress.step(f"booking on Redis, {users} clients")
            stack.set_latency(bench.ports, messaging=SLOW)
            bench.locust("booking", users, label="booking, Redis broker")
            stack.set_latency(bench.ports, messaging=NONE)
            bench.wait_drained(300)
        throughput(bench, progress, "redis")

    bench.use_site(baselines=True)
    stack.set_latency(bench.ports, messaging=SLOW)
    for users in o.clients[:2]:
        progress.step(f"blocking booking, {users} clients")
        # A blocking booking takes three provider latencies: one client books for 20 s; more
        # clients book once each, the run lasting until the last, queued behind the others, is served.
        duration = o.duration if o.smoke or users > 1 else max(4 * o.duration, 20)
        bench.locust("booking", users, label="booking, BLOCKING baseline", duration=duration)
    progress.step("every message delivered? (sandbox against outbox)")
    stack.set_latency(bench.ports, messaging=NONE)
    results["drained_at_end"] = bench.wait_drained(300)
    results["delivered"] = bench.dbtask("delivered", sandbox_db=str(bench.sandbox_db))


def outbox_latency(bench: Bench, progress: Progress, broker: str) -> None:
    """Light load (a booking every half second), the queue empty: how soon messages leave."""
    for latency, key in ((SLOW, "slow"), (NONE, "zero")) if not bench.o.smoke else ((NONE, "zero"),):
        progress.step(f"outbox at light load, {broker} broker, providers at {latency} s")
        stack.set_latency(bench.ports, messaging=latency)
        label = f"booking, paced 2/s, {broker} broker, providers {latency} s"
        duration = bench.o.duration if bench.o.smoke else 2 * bench.o.duration
        run = bench.locust("booking-paced", 1, label=label, duration=duration)["run"]
        bench.wait_drained(120)
        timings = bench.dbtask("timings", bench.broker_env, runs=[run], sandbox_db=str(bench.sandbox_db))
        bench.results["notifications"][f"{broker}_light_{key}"] = timings


def throughput(bench: Bench, progress: Progress, broker: str) -> None:
    """A backlog written at once and enqueued as bookings enqueue it: messages per second."""
    sizes = {FAST: 300, SLOW: 150} if not bench.o.smoke else {FAST: 5}
    start = (datetime.fromisoformat(bench.data["starts"][-1]) - timedelta(hours=1)).isoformat()
    for latency, bookings in sizes.items():
        progress.step(f"delivery throughput, {broker} broker, providers at {latency} s")
        stack.set_latency(bench.ports, messaging=latency)
        bench.run_id += 1
        run = bench.run_id
        bench.meter.start()
        began = bench.dbtask("backlog", bench.broker_env, run=run, bookings=bookings, start=start)
        bench.wait_drained(600)
        cpu = bench.meter.stop()
        rate = bench.dbtask("drain_rate", bench.broker_env, run=run, started=began["started"])
        rate["cpu_ms_per_message"] = {k: 1000 * v / max(rate["messages"], 1) for k, v in cpu.items()}
        bench.results["notifications"][f"throughput_{broker}_{latency}"] = rate


if __name__ == "__main__":
    sys.exit(main())
