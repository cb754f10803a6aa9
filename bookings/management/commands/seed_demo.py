"""Demo data for development: services open every day, and (DEBUG only) a staff login."""

from datetime import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from bookings.models import OpeningHours, Service

DEMO_SERVICES = [
    {
        "slug": "consultation",
        "name": "Doctor's consultation",
        "description": "A 30-minute consultation, paid online when you book.",
        "duration_minutes": 30,
        "price": 50000,
        "capacity": 1,
        "requires_payment": True,
        "hours": [(time(9), time(13)), (time(14), time(18))],
    },
    {
        "slug": "yoga-class",
        "name": "Morning yoga class",
        "description": "A one-hour group class for up to 12 people. Pay at the studio.",
        "duration_minutes": 60,
        "price": 30000,
        "capacity": 12,
        "requires_payment": False,
        "hours": [(time(6), time(10))],
    },
    {
        "slug": "turf-5-a-side",
        "name": "5-a-side turf",
        "description": "The floodlit turf for one hour, paid online.",
        "duration_minutes": 60,
        "price": 120000,
        "capacity": 1,
        "requires_payment": True,
        "hours": [(time(6), time(23))],
    },
]

DEMO_STAFF = ("staff", "demo-staff-pass")


class Command(BaseCommand):
    help = "Create or refresh the demo services (idempotent); with DEBUG on, a staff login too."

    @transaction.atomic
    def handle(self, *args, **options):
        for spec in DEMO_SERVICES:
            spec = dict(spec)
            hours = spec.pop("hours")
            service, created = Service.objects.update_or_create(slug=spec.pop("slug"), defaults=spec)
            service.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(service=service, weekday=day, opens=opens, closes=closes)
                for day in OpeningHours.Weekday.values
                for opens, closes in hours
            )
            self.stdout.write(f"{'Created' if created else 'Updated'} service {service.name}")
        if settings.DEBUG:
            username, password = DEMO_STAFF
            user, _ = get_user_model().objects.get_or_create(username=username)
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            self.stdout.write(self.style.SUCCESS(f"Staff login: {username} / {password}  (DEBUG only)"))
