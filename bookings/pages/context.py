from django.conf import settings
from django.utils import timezone

from bookings.selectors import business_tz


def site(request) -> dict:
    """What every page shows (templates/base.html): the business's name and its time zone."""
    return {
        "business_name": settings.BUSINESS_NAME,
        "business_time_zone": f"{settings.TIME_ZONE} ({timezone.now().astimezone(business_tz()).tzname()})",
    }
