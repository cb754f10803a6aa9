"""The periodic tasks of the outbox, as django-q2 schedules. Idempotent by name."""

from django.db import migrations

SCHEDULES = {
    # name: (function, minutes)
    "notifications: sweep the outbox": ("notifications.tasks.sweep_outbox", 1),
    "notifications: send reminders": ("notifications.tasks.send_reminders", 1),
}


def create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, (func, minutes) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name, defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1}
        )


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
