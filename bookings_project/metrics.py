"""Prometheus metrics at /metrics.

Request latency is measured in each web process (with several gunicorn workers set
PROMETHEUS_MULTIPROC_DIR so that they are added up). Everything about bookings,
messages and payments is read from the database at scrape time: the database is
the one place every web and worker process writes to, so the figures are whole.
"""

import os
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

from bookings.models import Booking
from bookings_project import outbox
from notifications.models import Notification
from payments.models import Payment, WebhookEvent

REQUEST_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by view",
    ["method", "view", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        REQUEST_LATENCY.labels(request.method, view, response.status_code).observe(time.perf_counter() - started)
        return response


def _family(name: str, documentation: str, labels: list[str], rows) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=labels)
    for *values, count in rows:
        family.add_metric([str(value) for value in values], count)
    return family


class DatabaseCollector:
    """Counts from the tables, collected when Prometheus scrapes."""

    def collect(self):
        yield _family(
            "bookings",
            "Bookings by status",
            ["status"],
            Booking.objects.values_list("status").annotate(n=Count("id")).order_by(),
        )
        yield _family(
            "notifications",
            "Messages by channel and status (sent, failed, delivered, ...)",
            ["channel", "status"],
            Notification.objects.values_list("channel", "status").annotate(n=Count("id")).order_by(),
        )
        yield _family(
            "payments",
            "Payments by status (the outcomes)",
            ["status"],
            Payment.objects.values_list("status").annotate(n=Count("id")).order_by(),
        )
        yield _family(
            "webhook_events",
            "Webhooks received, by whether their signature was valid",
            ["signature_valid"],
            WebhookEvent.objects.values_list("signature_valid").annotate(n=Count("id")).order_by(),
        )
        yield self._delivery_latency()
        yield self._queue_depth()

    def _delivery_latency(self) -> GaugeMetricFamily:
        """Seconds from a message's row being written to the provider taking it, last hour."""
        since = timezone.now() - timedelta(hours=1)
        pairs = Notification.objects.filter(sent_at__gte=since).values_list("queued_at", "sent_at")[:10000]
        seconds = sorted((sent - queued).total_seconds() for queued, sent in pairs)
        family = GaugeMetricFamily(
            "notification_delivery_seconds", "Commit to provider, last hour, by quantile", labels=["quantile"]
        )
        for quantile in (0.5, 0.95, 0.99):
            value = seconds[min(int(quantile * len(seconds)), len(seconds) - 1)] if seconds else 0.0
            family.add_metric([str(quantile)], value)
        return family

    def _queue_depth(self) -> GaugeMetricFamily:
        family = GaugeMetricFamily("queue_depth", "Tasks waiting on the django-q2 broker (-1: unreachable)")
        try:
            family.add_metric([], outbox.broker().queue_size())
        except (RedisError, OSError):
            family.add_metric([], -1)
        return family


class _Forward:
    """Another registry's metrics, as one collector."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()


def registry() -> CollectorRegistry:
    process = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn workers: add theirs up
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    combined = CollectorRegistry()
    combined.register(_Forward(process))
    combined.register(DatabaseCollector())
    return combined


def metrics(request):
    """Open when METRICS_TOKEN is empty (restrict it at the proxy); else a bearer token."""
    if settings.METRICS_TOKEN and not constant_time_compare(
        request.headers.get("Authorization", ""), f"Bearer {settings.METRICS_TOKEN}"
    ):
        return HttpResponseForbidden("metrics token required")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
