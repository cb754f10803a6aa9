"""The inbox: every message, order, payment, refund and webhook the sandbox handled, newest first."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from sandbox import faults
from sandbox.models import Delivery, Message, Order, Payment, Refund

SHOWN = 200  # per table; the JSON API has the rest


@require_GET
def inbox(request):
    try:
        refresh = max(int(request.GET.get("refresh", 0)), 0)
    except ValueError:
        refresh = 0
    context = {
        "messages_sent": Message.objects.all()[:SHOWN],
        "orders": Order.objects.all()[:SHOWN],
        "payments": Payment.objects.all()[:SHOWN],
        "refunds": Refund.objects.all()[:SHOWN],
        "deliveries": Delivery.objects.all()[:SHOWN],
        "faults": [(provider, *faults.current(provider)) for provider in faults.PROVIDERS],
        "shown": SHOWN,
        "refresh": refresh,
    }
    return render(request, "sandbox/inbox.html", context)
