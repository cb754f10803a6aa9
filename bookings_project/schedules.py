"""Periodic tasks as django-q2 schedules, for the apps' data migrations. Idempotent by name."""

from django.db import migrations

DJANGO_Q_MIGRATION = ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")


def every_minutes(schedules: dict[str, tuple[str, int]]) -> migrations.RunPython:
    """A migration operation keeping {name: (dotted function, minutes)} as schedules."""

    def create(apps, schema_editor):
        Schedule = apps.get_model("django_q", "Schedule")
        for name, (func, minutes) in schedules.items():
            Schedule.objects.update_or_create(
                name=name, defaults={"func": func, "schedule_type": "I", "minutes": minutes, "repeats": -1}
            )

    def remove(apps, schema_editor):
        apps.get_model("django_q", "Schedule").objects.filter(name__in=schedules).delete()

    return migrations.RunPython(create, remove)
