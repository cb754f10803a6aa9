"""The periodic tasks of payments, as django-q2 schedules."""

from django.db import migrations

from bookings_project.schedules import DJANGO_Q_MIGRATION, every_minutes


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), DJANGO_Q_MIGRATION]

    operations = [
        every_minutes(
            {
                "payments: expire lapsed holds": ("payments.tasks.expire_holds", 1),
                "payments: sweep refunds": ("payments.tasks.sweep_refunds", 1),
                "payments: reconcile payments": ("payments.tasks.reconcile_payments", 5),
            }
        )
    ]
