"""Staff see payments, refunds and webhooks (read-only); the booking page shows them inline."""

from importlib import import_module

from django.db import migrations

grant = import_module("bookings.migrations.0004_staff_groups").grant


def extend_groups(apps, schema_editor):
    for group in ("Front desk", "Manager"):
        grant(apps, group, "payments", ["view_payment", "view_refund"])
    grant(apps, "Manager", "payments", ["view_webhookevent"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_schedules"),
        ("bookings", "0004_staff_groups"),
    ]

    operations = [migrations.RunPython(extend_groups, migrations.RunPython.noop)]
