"""Staff see every message; managers also see the task queue's pages."""

from importlib import import_module

from django.db import migrations

grant = import_module("bookings.migrations.0004_staff_groups").grant

QUEUE_PAGES = ["view_success", "view_failure", "view_schedule", "view_ormq", "change_schedule", "add_schedule"]


def extend_groups(apps, schema_editor):
    for group in ("Front desk", "Manager"):
        grant(apps, group, "notifications", ["view_notification", "change_notification"])
    grant(apps, "Manager", "django_q", QUEUE_PAGES)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_schedules"),
        ("bookings", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(extend_groups, migrations.RunPython.noop)]
