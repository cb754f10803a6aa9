"""django-q2 task entry points. Each takes ids, never objects, and calls one service."""

from . import services


def send_notification(notification_id: int) -> None:
    services.deliver(notification_id)


def sweep_outbox() -> int:
    return services.sweep()


def send_reminders() -> int:
    return services.schedule_reminders()
