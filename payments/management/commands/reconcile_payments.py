from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from payments.services import reconcile


class Command(BaseCommand):
    help = (
        "Ask Razorpay about orders still unpaid a while after they were made and apply what it knows "
        "(what the periodic task does): for lost webhooks and closed browsers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--after-minutes",
            type=float,
            default=settings.PAYMENTS_RECONCILE_AFTER_MINUTES,
            help="Only orders at least this old (default: PAYMENTS_RECONCILE_AFTER_MINUTES).",
        )
        parser.add_argument(
            "--window-hours",
            type=float,
            default=settings.PAYMENTS_RECONCILE_WINDOW_HOURS,
            help="Only orders at most this old (default: PAYMENTS_RECONCILE_WINDOW_HOURS).",
        )

    def handle(self, *args, after_minutes, window_hours, **options):
        changed = reconcile(after=timedelta(minutes=after_minutes), window=timedelta(hours=window_hours))
        self.stdout.write(f"{changed} payment(s) updated.")
