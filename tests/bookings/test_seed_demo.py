"""`manage.py seed_demo` gives a newcomer something to book, and can be run again."""

from django.contrib.auth import authenticate
from django.core.management import call_command

from bookings.models import OpeningHours, Service
from bookings.selectors import free_slots


def test_seed_demo_is_idempotent_and_bookable(db, settings, tomorrow):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    services = {service.slug: service for service in Service.objects.all()}
    assert len(services) == 3
    assert any(s.requires_payment for s in services.values())
    assert any(not s.requires_payment and s.capacity > 1 for s in services.values())
    for service in services.values():
        assert {hours.weekday for hours in service.opening_hours.all()} == set(OpeningHours.Weekday.values)
        assert free_slots(service, tomorrow)
    assert authenticate(username="staff", password="demo-staff-pass").is_staff


def test_without_debug_no_staff_login_is_made(db, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    assert Service.objects.count() == 3
    assert authenticate(username="staff", password="demo-staff-pass") is None
