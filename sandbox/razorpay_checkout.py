"""A stand-in for Razorpay Checkout: the script, and the page where the tester pays or fails.

checkout.js keeps the real script's contract (new Razorpay(options), .open(), .close(),
.on("payment.failed", cb), options.handler, options.modal.ondismiss, prefill,
callback_url with redirect), so a page written for
https://checkout.razorpay.com/v1/checkout.js works unchanged when RAZORPAY_CHECKOUT_JS
points here. It opens the checkout page in an overlaid iframe; the page answers the
script with postMessage. Opened directly, the page works as a plain form, and its
pay/fail endpoints answer JSON to API clients (tests).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox.models import Order, Payment
from sandbox.razorpay_services import RazorpayError, checkout_fail, checkout_pay, payment_signature
from sandbox.templatetags.sandbox_money import money


@require_GET
def checkout_js(request):
    response = render(request, "sandbox/checkout.js", content_type="application/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@xframe_options_exempt  # checkout.js shows this page in an iframe on the site's page
@require_GET
def checkout_page(request, order_id: str):
    order = Order.objects.filter(pk=order_id).first()
    key = request.GET.get("key", "")
    error = ""
    if order is None:
        error = f"No order {order_id}: create it with the Orders API first."
    elif key and key != settings.RAZORPAY_KEY_ID:
        error = "The api key provided is invalid."
    elif order.status == Order.Status.PAID:
        error = "This order has already been paid."
    context = {
        "order": order,
        "error": error,
        "key": key,
        "name": request.GET.get("name", ""),
        "description": request.GET.get("description", ""),
        "prefill": {field: request.GET.get(f"prefill[{field}]", "") for field in ("name", "email", "contact")},
        "amount": money(order.amount, order.currency) if order else "",
    }
    return render(request, "sandbox/checkout.html", context)


def wants_html(request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


def answer(request, body: dict, status: int = 200):
    if wants_html(request):
        return render(request, "sandbox/checkout_result.html", {"result": body}, status=status)
    return JsonResponse(body, status=status)


def refused(request, error: RazorpayError):
    body = {"error": {"code": "BAD_REQUEST_ERROR", "description": error.description, "field": error.field}}
    return answer(request, body, status=400)


def wrong_key(request) -> bool:
    key = request.POST.get("key", "")
    return bool(key) and key != settings.RAZORPAY_KEY_ID


def customer(request) -> dict:
    return {field: request.POST.get(field, "") for field in ("email", "contact", "method")}


@csrf_exempt
@xframe_options_exempt
@require_POST
def pay(request, order_id: str):
    """Pays the order. Answers what checkout gives the handler: payment id, order id, signature."""
    if wrong_key(request):
        return refused(request, RazorpayError("The api key provided is invalid.", "key"))
    try:
        payment = checkout_pay(order_id, **customer(request), webhooks=request.POST.get("webhooks") or "in_order")
    except RazorpayError as error:
        return refused(request, error)
    body = {
        "razorpay_payment_id": payment.pk,
        "razorpay_order_id": payment.order_id,
        "razorpay_signature": payment_signature(payment.order_id, payment.pk),
    }
    return answer(request, body)


@csrf_exempt
@xframe_options_exempt
@require_POST
def fail(request, order_id: str):
    """The payment fails. Answers what checkout gives `payment.failed` callbacks."""
    if wrong_key(request):
        return refused(request, RazorpayError("The api key provided is invalid.", "key"))
    try:
        payment: Payment = checkout_fail(order_id, **customer(request))
    except RazorpayError as error:
        return refused(request, error)
    body = {
        "error": {
            "code": payment.error_code,
            "description": "Payment failed",
            "source": "customer",
            "step": "payment_authentication",
            "reason": payment.error_reason,
            "metadata": {"order_id": payment.order_id, "payment_id": payment.pk},
        }
    }
    return answer(request, body)
