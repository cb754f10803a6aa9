"""The benchmark's results as a markdown table, a JSON file and a chart (bench/results/)."""

import json
from pathlib import Path


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def seconds(value) -> str:
    return "-" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def write(results: dict, out: Path, *, smoke: bool = False) -> str:
    out.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if smoke else "latest"
    text = markdown(results, chart=f"{stem}.png")
    (out / f"{stem}.md").write_text(text)
    (out / f"{stem}.json").write_text(json.dumps(results, indent=1, default=str))
    chart(results, out / f"{stem}.png")
    return text


def _floor(runs: list[dict]) -> dict[int, dict]:
    return {run["clients"]: run for run in runs if run["scenario"] == "floor"}


def _blocking(runs: list[dict]) -> dict[int, dict]:
    return {run["clients"]: run for run in runs if "BLOCKING" in run["label"]}


def _loop(machine: dict) -> str:
    return " / ".join(str(seconds) for seconds in machine.get("loop_seconds", [])) or "?"


def _cpu(run: dict, *, worker: bool) -> float:
    """CPU ms per request of the web and the database, and of the worker too if `worker`."""
    cpu = run["cpu_ms_per_request"]
    return cpu.get("web", 0) + cpu.get("db", 0) + (cpu.get("worker", 0) if worker else 0)


def markdown(results: dict, chart: str) -> str:
    runs, floor, blocking = results["runs"], _floor(results["runs"]), _blocking(results["runs"])
    o, m = results["options"], results.get("machine", {})
    lines = [
        f"Run {results.get('finished', '')}, {results.get('seconds', '?')} s in all. Machine: {m.get('cpu', '?')}, "
        f"{m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB, PostgreSQL {m.get('postgres', '?')}, "
        f"Python {m.get('python', '?')}. gunicorn {o['workers']} sync workers, qcluster {o['q_workers']} workers, "
        f"{o['duration']:g} s per run; load generator, sandbox, web, worker and database share the cores. "
        f"Speed of the machine: a 5,000,000-step Python loop took {_loop(m)} s of CPU at the start and the end "
        "of the run (compare runs by it: VMs differ by several times).",
        "",
        "| scenario | clients | p50 ms | p95 ms | p99 ms | req/s | errors | CPU ms/req web+db | +worker "
        "| sandbox (providers) | p95 / floor p95 | blocking p50 / p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        base = floor.get(run["clients"])
        to_floor = run["p95"] / base["p95"] if base and base["p95"] and run["p95"] else None
        block = (
            blocking.get(run["clients"]) if run["scenario"] == "booking" and "BLOCKING" not in run["label"] else None
        )
        to_block = block["p50"] / run["p50"] if block and block["p50"] and run["p50"] else None
        lines.append(
            f"| {run['label']} | {run['clients']} | {fmt(run['p50'])} | {fmt(run['p95'])} | {fmt(run['p99'])} "
            f"| {fmt(run['rps'])} | {run['failures']}/{run['count']} | {fmt(_cpu(run, worker=False), 1)} "
            f"| {fmt(_cpu(run, worker=True), 1)} | {fmt(run['cpu_ms_per_request'].get('sandbox'), 1)} "
            f"| {fmt(to_floor, 1)}x | {fmt(to_block)}x |"
        )
    zero = {r["clients"]: r["p95"] for r in runs if r["label"] == "booking, providers 0 s"}
    ratios = [
        f"{clients} clients: {slow_p95:.0f} / {zero[clients]:.0f} ms = {slow_p95 / zero[clients]:.2f}"
        for clients, slow_p95 in ((r["clients"], r["p95"]) for r in runs if r["label"] == "booking")
        if zero.get(clients) and slow_p95
    ]
    lines += ["", "Booking p95 with providers at 2-3 s over p95 with providers at 0 s: " + "; ".join(ratios), ""]
    lines += against_naive(runs)
    lines += notifications(results)
    lines += slots(results)
    lines += ["", f"![latency by scenario and concurrency]({chart})", ""]
    return "\n".join(lines)


def against_naive(runs: list[dict]) -> list[str]:
    """Each booking run beside the naive path's run that followed it (bench/naive.py)."""
    naive = {(r["label"], r["clients"]): r for r in runs if r["scenario"] == "booking-naive"}
    pairs = [
        (run, naive.get((f"naive {run['label']}", run["clients"]))) for run in runs if run["scenario"] == "booking"
    ]
    pairs = [(ours, theirs) for ours, theirs in pairs if theirs]
    if not pairs:
        return []

    def cell(ours, theirs, digits: int = 0) -> str:
        ratio = f" ({ours / theirs:.2f})" if ours and theirs else ""
        return f"{fmt(ours, digits)} / {fmt(theirs, digits)}{ratio}"

    lines = [
        "Against the naive path (bench/naive.py: a ModelSerializer, the slot's row locked, each row saved on its "
        "own, a task per message in a commit of its own), on the baselines' gunicorn right after our bookings at "
        "each concurrency, both with the queue worker stopped (the web and the database alone; the naive path's "
        "messages are set aside, not sent):",
        "",
        "| ours / naive path (ratio) | clients | p50 ms | p95 ms | p99 ms | req/s | CPU ms/req web+db | +worker |",
        "|---|---:|---|---|---|---|---|---|",
    ]
    for ours, theirs in pairs:
        lines.append(
            f"| {ours['label']} | {ours['clients']} | {cell(ours['p50'], theirs['p50'])} "
            f"| {cell(ours['p95'], theirs['p95'])} | {cell(ours['p99'], theirs['p99'])} "
            f"| {cell(ours['rps'], theirs['rps'])} | {cell(_cpu(ours, worker=False), _cpu(theirs, worker=False), 1)} "
            f"| {cell(_cpu(ours, worker=True), _cpu(theirs, worker=True), 1)} |"
        )
    return [*lines, ""]


def notifications(results: dict) -> list[str]:
    notes = results["notifications"]
    lines = [
        "| outbox, light load (1 client) | commit -> claim p50 / p95 | commit -> sandbox p50 / p95 "
        "| all 3 channels sent p50 / p95 |",
        "|---|---|---|---|",
    ]
    for key, label in (
        ("orm_light_zero", "ORM broker, providers 0 s"),
        ("orm_light_slow", "ORM broker, providers 2-3 s"),
        ("redis_light_zero", "Redis broker, providers 0 s"),
        ("redis_light_slow", "Redis broker, providers 2-3 s"),
    ):
        t = notes.get(key)
        if not t:
            continue
        c, s, a = t["commit_to_claim"], t["commit_to_sandbox"], t["all_channels_sent"]
        lines.append(
            f"| {label} | {seconds(c['p50'])} / {seconds(c['p95'])} | {seconds(s['p50'])} / {seconds(s['p95'])} "
            f"| {seconds(a['p50'])} / {seconds(a['p95'])} |"
        )
    lines += [
        "",
        "(commit -> sandbox is when the sandbox recorded the message, after its injected latency.)",
        "",
        "| delivery throughput (backlog) | messages | sent | messages/s | CPU ms/message web+db+worker "
        "| sandbox (providers) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, t in notes.items():
        if key.startswith("throughput_"):
            _, broker, latency = key.split("_")
            cpu = dict(t["cpu_ms_per_message"])
            sandbox = cpu.pop("sandbox", None)
            lines.append(
                f"| {broker} broker, providers {latency} s | {t['messages']} | {t['sent']} "
                f"| {fmt(t['per_second'], 1)} | {fmt(sum(cpu.values()), 1)} | {fmt(sandbox, 1)} |"
            )
    saturated = notes.get("orm_saturated_slow")
    if saturated and saturated.get("span_seconds"):
        lines += [
            "",
            f"End to end, measured: the {saturated['bookings']} bookings of the "
            f"{max(results['options']['clients'])}-client run (providers 2-3 s, ORM "
            f"broker, behind the backlog of the runs before it) had all {saturated['messages']} of their messages "
            f"sent {saturated['span_seconds']:.1f} s after the first was booked.",
        ]
    sustained = []
    best_booking = max((r["rps"] or 0 for r in results["runs"] if r["label"] == "booking"), default=0)
    for key, t in notes.items():
        if key.startswith("throughput_") and t.get("per_second"):
            _, broker, latency = key.split("_")
            rate = min(best_booking, t["per_second"] / 3)
            sustained.append(f"{broker} broker, providers {latency} s: {rate:.1f}")
    if sustained:
        lines += [
            "",
            "Bookings per second the whole system sustains with every message delivered (the lower of the booking "
            "rate and the delivery rate / 3 messages): " + "; ".join(sustained) + ".",
        ]
    d = results.get("delivered")
    if d:
        ok = (
            d["not_sent"] == 0
            and d["sent"] == d["sandbox_accepted"] == d["sent_and_in_sandbox"]
            and not d["sent_twice"]
        )
        lines += [
            "",
            f"Every message delivered: **{'yes' if ok else 'NO'}** - outbox rows {d['outbox_rows']}, sent "
            f"{d['sent']}, not sent {d['not_sent']} (and the naive path's, set aside unsent: {d.get('set_aside', 0)}); "
            f"the sandbox accepted {d['sandbox_accepted']}, of which "
            f"{d['sent_and_in_sandbox']} match a sent row; sent twice {d['sent_twice']}, "
            f"accepted without a row {d['sandbox_without_row']}.",
        ]
    return lines


def slots(results: dict) -> list[str]:
    s = results.get("slots_check")
    if not s:
        return []
    return [
        "",
        f"Slots of a day with {s['bookings_that_day']:,} bookings (selectors.day_free_slots in one process): "
        f"{s['crowded']['queries']} queries, p50 {s['crowded']['ms_p50']:.1f} ms, max {s['crowded']['ms_max']:.1f} ms; "
        f"a day without bookings: {s['empty']['queries']} queries, p50 {s['empty']['ms_p50']:.1f} ms.",
    ]


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in results["runs"] if r["p50"]]
    labels = list(dict.fromkeys(r["label"] for r in runs))
    clients = sorted({r["clients"] for r in runs})
    fig, ax = plt.subplots(figsize=(13, 6))
    width = 0.8 / max(len(clients), 1)
    for i, c in enumerate(clients):
        xs, p50, p95 = [], [], []
        for j, label in enumerate(labels):
            run = next((r for r in runs if r["label"] == label and r["clients"] == c), None)
            if run:
                xs.append(j + (i - (len(clients) - 1) / 2) * width)
                p50.append(run["p50"])
                p95.append(run["p95"])
        ax.bar(xs, p95, width, alpha=0.35, color=f"C{i}")
        ax.bar(xs, p50, width, color=f"C{i}", label=f"{c} clients (p50 solid, p95 light)")
    ax.set_yscale("log")
    ax.set_ylabel("latency, ms (log)")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_title("Request latency by scenario and concurrency")
    ax.legend()
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
