"""django-q2 task entry points. Each takes ids, never objects, and calls one service."""

from bookings_project import request_id

from . import services


def send_notification(notification_id: int, request: str = "") -> None:
    """`request`: the id of the request that enqueued it, for the logs."""
    token = request_id.bind(request)
    try:
        services.deliver(notification_id)
    finally:
        request_id.reset(token)


def send_notifications(notification_ids: list[int], request: str = "") -> None:
    """A batch of rows (one booking change's), sent side by side."""
    token = request_id.bind(request)
    try:
        services.deliver_batch(notification_ids)
    finally:
        request_id.reset(token)


def sweep_outbox() -> int:
    return services.sweep()


def send_reminders() -> int:
    return services.schedule_reminders()
