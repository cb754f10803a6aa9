"""The periodic tasks of payments, as django-q2 schedules. Idempotent by name."""

from django.db import migrations

SCHEDULES = {
    # name: (function, minutes)
    "payments: expire lapsed holds": ("payments.tasks.expire_holds", 1),
    "payments: sweep refunds": ("payments.tasks.sweep_refunds", 1),
    "payments: reconcile payments": ("payments.tasks.reconcile_payments", 5),
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
        ("payments", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
