"""The periodic tasks of the outbox, as django-q2 schedules."""

from django.db import migrations

from bookings_project.schedules import DJANGO_Q_MIGRATION, every_minutes


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), DJANGO_Q_MIGRATION]

    operations = [
        every_minutes(
            {
                "notifications: sweep the outbox": ("notifications.tasks.sweep_outbox", 1),
                "notifications: send reminders": ("notifications.tasks.send_reminders", 1),
            }
        )
    ]
