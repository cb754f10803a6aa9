"""Filters for the customer pages (templates/bookings/)."""

from django import template

register = template.Library()

SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£"}


@register.filter
def money(amount: int, currency: str = "INR") -> str:
    """Minor units as people read them: {{ 50000|money:"INR" }} is ₹500, 50050 is ₹500.50."""
    symbol = SYMBOLS.get(currency, f"{currency} ")
    whole, paise = divmod(amount, 100)
    return f"{symbol}{whole:,}" + (f".{paise:02d}" if paise else "")


@register.filter
def minutes(total: int) -> str:
    """A duration in minutes as "30 min", "1 hour", "1 h 30 min"."""
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {rest} min"
