from django import template

from bookings.selectors import todays_bookings

register = template.Library()


@register.simple_tag
def bookings_today() -> int:
    return todays_bookings().count()
