"""The sandbox's own JSON API, for tests, benchmarks and testers: what was sent and paid,
the webhooks (re-send them, or send them in another order), and the faults."""

import json
from datetime import UTC, datetime

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sandbox import callbacks, faults
from sandbox.models import Delivery, Message, Order, Payment, Refund
from sandbox.razorpay_services import PAYMENT_EVENTS, REFUND_EVENTS, send_events

DEFAULT_LIMIT = 500


class BadRequest(Exception):
    pass


def bad_request(error: Exception) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400)


def parse_since(value: str | None) -> datetime | None:
    """An ISO 8601 time or a Unix timestamp; None when not given."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError):
        pass
    try:
        moment = parse_datetime(value.replace(" ", "+"))  # an unescaped "+05:30" arrives as " 05:30"
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(f"since: {value!r} is neither an ISO 8601 time nor a Unix timestamp")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def limit(request) -> int:
    try:
        return max(int(request.GET.get("limit", DEFAULT_LIMIT)), 1)
    except ValueError:
        raise BadRequest("limit must be an integer") from None


def json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise BadRequest("the body must be JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def messages(request):
    """GET: messages newest first, filtered by `to` (a part of it), `channel`, `status`, `provider`, `since`.
    DELETE: empties the inbox."""
    if request.method == "DELETE":
        deleted, _ = Message.objects.all().delete()
        return JsonResponse({"deleted": deleted})
    try:
        found = Message.objects.all()
        if request.GET.get("to"):
            found = found.filter(to__icontains=request.GET["to"])
        for field in ("channel", "status", "provider"):
            if request.GET.get(field):
                found = found.filter(**{field: request.GET[field]})
        since = parse_since(request.GET.get("since"))
        if since:
            found = found.filter(created_at__gte=since)
        results = [message.as_json() for message in found[: limit(request)]]
    except BadRequest as error:
        return bad_request(error)
    return JsonResponse({"count": len(results), "results": results})


@require_http_methods(["GET"])
def payments(request):
    """Orders (with the payment_capture they asked for), payments and refunds newest first, in
    Razorpay's shapes; filtered by `order_id`, `since`."""
    try:
        orders, paid, refunds = Order.objects.all(), Payment.objects.all(), Refund.objects.all()
        order_id = request.GET.get("order_id")
        if order_id:
            orders, paid, refunds = (
                orders.filter(pk=order_id),
                paid.filter(order=order_id),
                refunds.filter(payment__order=order_id),
            )
        since = parse_since(request.GET.get("since"))
        if since:
            orders, paid = orders.filter(created_at__gte=since), paid.filter(created_at__gte=since)
            refunds = refunds.filter(created_at__gte=since)
        count = limit(request)
    except BadRequest as error:
        return bad_request(error)
    return JsonResponse(
        {
            # Razorpay's order entity does not show payment_capture; the inbox does, as asked.
            "orders": [{**order.as_razorpay(), "payment_capture": order.payment_capture} for order in orders[:count]],
            "payments": [payment.as_razorpay() for payment in paid[:count]],
            "refunds": [refund.as_razorpay() for refund in refunds[:count]],
        }
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhooks(request):
    """GET: deliveries newest first, filtered by `provider`, `event`, `subject`, `status`.

    POST {"payment_id" or "refund_id": ..., "events": [...]}: sends those Razorpay webhooks
    now, in that order (order.paid before payment.captured, a second payment.captured...).
    """
    if request.method == "POST":
        try:
            subject, events = webhooks_to_send(json_body(request))
        except BadRequest as error:
            return bad_request(error)
        sent = send_events(subject, events)
        return JsonResponse({"count": len(sent), "results": [delivery.as_json() for delivery in sent]})
    found = Delivery.objects.all()
    for field in ("provider", "event", "subject", "status"):
        if request.GET.get(field):
            found = found.filter(**{field: request.GET[field]})
    try:
        results = [delivery.as_json() for delivery in found[: limit(request)]]
    except BadRequest as error:
        return bad_request(error)
    return JsonResponse({"count": len(results), "results": results})


def webhooks_to_send(data: dict) -> tuple[str, list[str]]:
    if "payment_id" in data:
        subject, known, kind = data["payment_id"], PAYMENT_EVENTS, Payment
    elif "refund_id" in data:
        subject, known, kind = data["refund_id"], REFUND_EVENTS, Refund
    else:
        raise BadRequest('give "payment_id" or "refund_id", and "events": a list of event names')
    events = data.get("events")
    if not isinstance(events, list) or not events or any(event not in known for event in events):
        raise BadRequest(f"events: a list of {', '.join(known)}")
    if not kind.objects.filter(pk=subject).exists():
        raise BadRequest(f"no {kind._meta.verbose_name} {subject}")
    if not callbacks.webhook_url(settings.SANDBOX_RAZORPAY_WEBHOOK_URL):
        raise BadRequest("SANDBOX_RAZORPAY_WEBHOOK_URL is empty: webhooks are off")
    return subject, events


@csrf_exempt
@require_POST
def resend(request, pk: int):
    """Sends a recorded delivery again, byte for byte (same event id and signature), as a provider's retry."""
    delivery = callbacks.deliver(get_object_or_404(Delivery, pk=pk))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # the inbox page's button
    return JsonResponse(delivery.as_json())


def faults_state(providers) -> dict:
    state = {}
    for provider in providers:
        config, source = faults.current(provider)
        state[provider] = {**config.as_json(), "source": source}
    return state


@csrf_exempt
@require_http_methods(["GET", "POST", "PUT", "DELETE"])
def faults_view(request, provider: str | None = None):
    """GET shows the faults in force; POST/PUT sets them ({"twilio": {...}} here, {...} under
    /faults/<provider>/); DELETE goes back to the settings (SANDBOX_FAULTS)."""
    if provider is not None and provider not in faults.PROVIDERS:
        return JsonResponse({"error": f"unknown provider {provider}; one of {', '.join(faults.PROVIDERS)}"}, status=404)
    providers = faults.PROVIDERS if provider is None else (provider,)
    if request.method == "DELETE":
        for name in providers:
            faults.reset_faults(name)
    elif request.method in ("POST", "PUT"):
        try:
            data = json_body(request)
            configs = faults.parse_faults(data if provider is None else {provider: data})
        except (BadRequest, ValueError, TypeError) as error:
            return bad_request(error)
        for name, config in configs.items():
            faults.set_faults(name, config)
    return JsonResponse(faults_state(providers))
