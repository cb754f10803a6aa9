"""Health for load balancers: /healthz (the process answers) and /readyz (it can work)."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from redis.exceptions import RedisError

from bookings_project import outbox
from notifications.models import Notification


def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _broker() -> dict:
    broker = outbox.broker()
    broker.ping()
    return {"ok": True, "broker": broker.info(), "queued_tasks": broker.queue_size()}


def _outbox() -> dict:
    """How long the oldest message that is due has been waiting: the delivery lag."""
    now = timezone.now()
    due = Notification.objects.filter(status=Notification.Status.QUEUED, next_attempt_at__lte=now)
    oldest = due.aggregate(oldest=Min("next_attempt_at"))["oldest"]
    lag = (now - oldest).total_seconds() if oldest else 0.0
    limit = settings.READY_MAX_OUTBOX_LAG_SECONDS
    return {"ok": lag <= limit, "due_messages": due.count(), "oldest_due_seconds": round(lag, 1), "limit": limit}


CHECKS = {"database": _database, "broker": _broker, "outbox": _outbox}


def readyz(request):
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except (DatabaseError, RedisError, OSError) as error:
            checks[name] = {"ok": False, "error": error.__class__.__name__}
    ready = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
