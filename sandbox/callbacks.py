"""Requests the sandbox makes to the site later: status callbacks and webhooks.

A provider answers first and calls back afterwards, so the request that caused a
callback never waits for it. Jobs wait in a heap ordered by due time and run on a few
daemon threads: bounded (a burst of messages in a benchmark does not start a thread,
or open a database connection, per message) and never able to keep a process alive.
A job that fails is logged; a delivery that fails is recorded on its Delivery row.
"""

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.db import connections
from django.utils import timezone

from sandbox.models import Delivery

logger = logging.getLogger(__name__)

WORKERS = 4
DELIVERY_TIMEOUT = 10  # seconds, as Twilio allows a callback (Razorpay allows 5)
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

_jobs: list[tuple[float, int, Callable, tuple]] = []
_order = itertools.count()  # ties in due time keep their order: "sent" before "delivered"
_jobs_ready = threading.Condition()
_workers: list[threading.Thread] = []
_running = 0  # jobs taken from the heap and not finished


def later(job: Callable, *args, delay: float | None = None) -> None:
    """Runs `job(*args)` on a background thread after `delay` (default SANDBOX_CALLBACK_DELAY) seconds."""
    if delay is None:
        delay = settings.SANDBOX_CALLBACK_DELAY
    with _jobs_ready:
        _start_workers()
        heapq.heappush(_jobs, (time.monotonic() + delay, next(_order), job, args))
        _jobs_ready.notify()


def _start_workers() -> None:
    while len(_workers) < WORKERS:
        worker = threading.Thread(target=_work, name=f"sandbox-callbacks-{len(_workers)}", daemon=True)
        _workers.append(worker)
        worker.start()


def _next_job() -> tuple[Callable, tuple]:
    global _running
    with _jobs_ready:
        while True:
            wait = _jobs[0][0] - time.monotonic() if _jobs else None
            if wait is not None and wait <= 0:
                _, _, job, args = heapq.heappop(_jobs)
                _running += 1
                _jobs_ready.notify()  # another worker now watches the next job's due time
                return job, args
            _jobs_ready.wait(wait)


def _work() -> None:
    while True:
        job, args = _next_job()
        try:
            job(*args)
        except Exception:
            logger.exception("Sandbox callback %s%r failed", getattr(job, "__name__", job), args)
        finally:
            # No connection outlives its job: a test database must be droppable at the end of a run.
            connections.close_all()
            _job_done()


def _job_done() -> None:
    global _running
    with _jobs_ready:
        _running -= 1
        _jobs_ready.notify_all()


def wait_until_idle(timeout: float = 10) -> bool:
    """Waits until every job due, and every job those schedule, has run; False on timeout.
    For tests and benchmarks that must not leave callbacks behind."""
    deadline = time.monotonic() + timeout
    with _jobs_ready:
        while _jobs or _running:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            _jobs_ready.wait(min(remaining, 0.05))
    return True


def webhook_url(setting: str) -> str:
    """A SANDBOX_*_WEBHOOK_URL setting as a URL: a path is on SITE_URL, read now (tests move
    the site to their live server); a full URL stays as it is; empty means send nothing."""
    if not setting:
        return ""
    return urljoin(getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/") + "/", setting.lstrip("/"))


def send(*, provider: str, event: str, url: str, body: str, headers: dict, subject: str = "", event_id: str = ""):
    """Records a delivery and makes it now (on the calling thread)."""
    delivery = Delivery.objects.create(
        provider=provider, event=event, url=url, body=body, headers=headers, subject=subject, event_id=event_id
    )
    return deliver(delivery)


def deliver(delivery: Delivery) -> Delivery:
    """POSTs a recorded delivery; the outcome goes on the row and is never raised."""
    try:
        response = requests.post(
            delivery.url, data=delivery.body.encode(), headers=delivery.headers, timeout=DELIVERY_TIMEOUT
        )
    except requests.RequestException as error:
        delivery.status, delivery.response_status, delivery.response_body = Delivery.Status.FAILED, None, ""
        delivery.error = f"{type(error).__name__}: {error}"
        logger.warning("Sandbox %s %s to %s failed: %s", delivery.provider, delivery.event, delivery.url, error)
    else:
        delivery.response_status, delivery.response_body = response.status_code, response.text[:2000]
        if response.ok:
            delivery.status, delivery.error = Delivery.Status.DELIVERED, ""
        else:
            delivery.status, delivery.error = Delivery.Status.FAILED, f"HTTP {response.status_code}"
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.save()
    return delivery
