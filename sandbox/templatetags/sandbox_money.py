from django import template

register = template.Library()

SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£"}


@register.simple_tag
def money(amount: int, currency: str) -> str:
    """Minor units as people read them: money(50000, "INR") is ₹500.00."""
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{symbol}{amount // 100:,}.{amount % 100:02d}"
