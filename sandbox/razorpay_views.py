"""Razorpay's REST API (v1), the part this project uses: orders, payments, refunds.

Razorpay answers every error, a bad id and bad credentials included, with
{"error": {"code": ..., "description": ...}}; the SDK turns BAD_REQUEST_ERROR into
BadRequestError, GATEWAY_ERROR into GatewayError and anything else into ServerError.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import JsonResponse

from sandbox.basic_auth import has_credentials
from sandbox.faults import provider_api
from sandbox.models import Order, Payment, Provider
from sandbox.razorpay_services import RazorpayError, order_create, refund_create

TRANSIENT = {
    429: ("BAD_REQUEST_ERROR", "Too many requests"),
    500: ("SERVER_ERROR", "The server encountered an error. The incident has been reported to admins."),
    502: ("GATEWAY_ERROR", "Payment processing failed because of a gateway error"),
    503: ("SERVER_ERROR", "The service is temporarily unavailable. Please try again later."),
    504: ("SERVER_ERROR", "The request timed out. Please try again later."),
}


def razorpay_error(
    description: str,
    *,
    status: int = 400,
    code: str = "BAD_REQUEST_ERROR",
    field: str | None = None,
    source: str = "business",
    step: str = "payment_initiation",
    reason: str = "input_validation_failed",
) -> JsonResponse:
    error = {"code": code, "description": description, "source": source, "step": step, "reason": reason}
    error["metadata"] = {}
    if field:
        error["field"] = field
    return JsonResponse({"error": error}, status=status)


def transient_error(status: int) -> JsonResponse:
    code, description = TRANSIENT.get(status, ("SERVER_ERROR", "Service error"))
    return razorpay_error(description, status=status, code=code, source="NA", step="NA", reason="NA")


def not_found() -> JsonResponse:
    return razorpay_error("The requested URL was not found on the server.", source="NA", step="NA", reason="NA")


def no_such_id() -> JsonResponse:
    return razorpay_error("The id provided does not exist")


def razorpay_api(*methods: str):
    """A Razorpay endpoint: faults, then Basic auth with the key id and secret, then `methods` only."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not has_credentials(request, settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET):
                return razorpay_error("Authentication failed", status=401, source="NA", step="NA", reason="NA")
            if request.method not in methods:
                return not_found()
            return view(request, *args, **kwargs)

        return provider_api(Provider.RAZORPAY, transient_error)(checked)

    return decorate


def request_data(request) -> dict:
    """The SDK sends JSON; Razorpay takes form fields too."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise RazorpayError("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise RazorpayError("The request body must be a JSON object.")
        return data
    return request.POST.dict()


def collection(items) -> JsonResponse:
    items = list(items)
    return JsonResponse({"entity": "collection", "count": len(items), "items": items})


def page(request, queryset):
    try:
        count = min(max(int(request.GET.get("count", 10)), 1), 100)
        skip = max(int(request.GET.get("skip", 0)), 0)
    except ValueError:
        raise RazorpayError("count and skip must be integers.") from None
    return queryset[skip : skip + count]


@razorpay_api("GET", "POST")
def orders(request):
    try:
        if request.method == "POST":
            return JsonResponse(order_create(request_data(request)).as_razorpay())
        return collection(order.as_razorpay() for order in page(request, Order.objects.all()))
    except RazorpayError as error:
        return razorpay_error(error.description, field=error.field)


@razorpay_api("GET")
def order(request, order_id: str):
    found = Order.objects.filter(pk=order_id).first()
    return JsonResponse(found.as_razorpay()) if found else no_such_id()


@razorpay_api("GET")
def order_payments(request, order_id: str):
    found = Order.objects.filter(pk=order_id).first()
    if found is None:
        return no_such_id()
    return collection(payment.as_razorpay() for payment in found.payments.all())


@razorpay_api("GET")
def payment(request, payment_id: str):
    found = Payment.objects.filter(pk=payment_id).first()
    return JsonResponse(found.as_razorpay()) if found else no_such_id()


@razorpay_api("POST")
def refund(request, payment_id: str):
    try:
        data = request_data(request)
        created = refund_create(payment_id, data, request.headers.get("X-Refund-Idempotency", ""))
    except RazorpayError as error:
        return razorpay_error(error.description, field=error.field)
    return JsonResponse(created.as_razorpay())


@razorpay_api("GET")
def payment_refunds(request, payment_id: str):
    found = Payment.objects.filter(pk=payment_id).first()
    if found is None:
        return no_such_id()
    return collection(one.as_razorpay() for one in found.refunds.all())


@razorpay_api("GET", "POST", "PATCH", "PUT", "DELETE")
def unknown(request, path: str):
    return not_found()
