"""The queue's health for the admin index: what waits, and what failed in the last hour."""

from datetime import timedelta

from django import template
from django.db import DatabaseError
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Failure
from redis.exceptions import RedisError

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("admin/queue_health.html")
def queue_health():
    hour_ago = timezone.now() - timedelta(hours=1)
    Status = Notification.Status
    try:
        tasks_waiting = get_broker().queue_size()
    except (RedisError, DatabaseError):  # a broker that is down is what this panel is for
        tasks_waiting = None
    return {
        "messages_waiting": Notification.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).count(),
        "messages_failed": Notification.objects.filter(status=Status.FAILED, claimed_at__gte=hour_ago).count(),
        "tasks_waiting": tasks_waiting,
        "tasks_failed": Failure.objects.filter(stopped__gte=hour_ago).count(),
    }
