"""The queue's health for the admin index: what waits, what failed in the last hour, and
the last day's delivery and error rates against their targets."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from django_q.models import Failure
from redis.exceptions import RedisError

from bookings_project import outbox
from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("admin/queue_health.html")
def queue_health():
    hour_ago = timezone.now() - timedelta(hours=1)
    Status = Notification.Status
    try:
        tasks_waiting = outbox.broker().queue_size()
    except (RedisError, DatabaseError):  # a broker that is down is what this panel is for
        tasks_waiting = None
    return {
        "messages_waiting": Notification.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).count(),
        "messages_failed": Notification.objects.filter(status=Status.FAILED, claimed_at__gte=hour_ago).count(),
        "tasks_waiting": tasks_waiting,
        "tasks_failed": Failure.objects.filter(stopped__gte=hour_ago).count(),
    }


@register.inclusion_tag("admin/delivery_health.html")
def delivery_health():
    """Of the messages written in the last 24 hours and no longer in play: the share that
    reached the provider (sent or delivered) and the share that failed for good."""
    day_ago = timezone.now() - timedelta(hours=24)
    Status = Notification.Status
    counts = dict(
        Notification.objects.filter(queued_at__gte=day_ago).values_list("status").annotate(n=Count("id")).order_by()
    )
    done = counts.get(Status.SENT, 0) + counts.get(Status.DELIVERED, 0)
    failed = sum(counts.get(status, 0) for status in (Status.FAILED, Status.UNDELIVERED, Status.BOUNCED))
    finished = done + failed
    delivery = done / finished if finished else None
    errors = failed / finished if finished else None
    return {
        "finished": finished,
        "failed": failed,
        "delivery": _percent(delivery),
        "errors": _percent(errors),
        "delivery_target": _percent(settings.NOTIFICATIONS_DELIVERY_TARGET),
        "error_target": _percent(settings.NOTIFICATIONS_ERROR_TARGET),
        "delivery_ok": delivery is None or delivery >= settings.NOTIFICATIONS_DELIVERY_TARGET,
        "errors_ok": errors is None or errors <= settings.NOTIFICATIONS_ERROR_TARGET,
    }


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.2f}".rstrip("0").rstrip(".") + "%"
