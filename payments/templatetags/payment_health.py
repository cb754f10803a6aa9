from django import template

from payments.services import awaiting_reconciliation

register = template.Library()


@register.simple_tag
def payments_awaiting_reconciliation() -> int:
    return awaiting_reconciliation().count()
