"""OpenAPI documentation of the payment endpoints (drf-spectacular), kept out of the views."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema

from bookings.api import schema
from bookings.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from bookings.api.serializers import BookingCreateInputSerializer, BookingOutputSerializer, ErrorSerializer

from .serializers import RazorpayBookingOutputSerializer, VerifyPaymentInputSerializer


def _error(status_text: str, code: str, detail: str) -> OpenApiResponse:
    example = {"code": code, "detail": detail, "fields": {}}
    return OpenApiResponse(ErrorSerializer, description=status_text, examples=[OpenApiExample(code, value=example)])


PROVIDER_DOWN = _error(
    "`payment_provider_unavailable`: Razorpay could not be reached or failed.",
    "payment_provider_unavailable",
    "The payment provider could not be reached; nothing was booked or charged. Try again shortly.",
)


razorpay_booking = extend_schema(
    operation_id="bookings_razorpay_booking",
    tags=["payments"],
    summary="Book a place and create its Razorpay order",
    description=(
        "The body of POST /api/bookings/. Books the place in `awaiting_payment`, held for payment for "
        f"{settings.BOOKING_HOLD_MINUTES} minutes, and creates a Razorpay order for the price the server "
        "computes. Open Razorpay Checkout with `razorpay.key_id` and `razorpay.order_id`, then send its answer "
        "to POST /api/bookings/verify-payment. Unpaid when the hold lapses, the booking expires.\n\n"
        "502 `payment_provider_unavailable`: no order could be made; nothing was booked.\n\n"
        f"`{IDEMPOTENCY_HEADER}`: as for POST /api/bookings/ (the same key and body give the same booking "
        "and order)."
    ),
    request=BookingCreateInputSerializer,
    parameters=[schema.IDEMPOTENCY_KEY],
    responses={
        201: RazorpayBookingOutputSerializer,
        **schema.errors(400, 401, 403, 409, 413, 415, 422, 429, s403=schema.CSRF_403),
        502: PROVIDER_DOWN,
    },
    examples=[
        OpenApiExample(
            "Booking",
            request_only=True,
            value={
                "service": "yoga-class",
                "start": "2026-12-10T07:00:00+05:30",
                "customer": {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com"},
                "channels": ["sms", "whatsapp"],
            },
        ),
    ],
)


verify_payment = extend_schema(
    operation_id="bookings_verify_payment",
    tags=["payments"],
    summary="Verify Razorpay Checkout's answer and apply the payment",
    description=(
        "Send the three values Checkout's handler receives. The signature is checked with the key secret "
        "against the order we made, and the payment is applied as captured for the order's amount (no call to "
        "Razorpay): the booking moves on, `confirmed`, or `pending` where staff confirm paid bookings. Repeating "
        "it answers the same booking. The webhook applies the same payment if this never arrives."
    ),
    request=VerifyPaymentInputSerializer,
    responses={
        200: BookingOutputSerializer,
        400: _error(
            "`invalid_signature` (nothing changes), `unknown_order`, `invalid` (fields).",
            "invalid_signature",
            "The payment's signature does not match: it was not made by our checkout.",
        ),
        409: _error(
            "`hold_expired`: paid after the hold lapsed and the place was taken; `invalid_transition`: the "
            "booking was cancelled. The payment is refunded in full.",
            "hold_expired",
            "The time held for payment ran out and the place was taken. Your payment is being refunded in full.",
        ),
        **schema.errors(403, 413, 415, s403=schema.CSRF_403),
    },
    examples=[
        OpenApiExample(
            "Checkout's answer",
            request_only=True,
            value={
                "razorpay_order_id": "order_Nn3fGa1aTmd7Qz",
                "razorpay_payment_id": "pay_Nn3gkqzP0sVH2c",
                "razorpay_signature": "9ef4dffbfd84f1318f6739a3ce19f9d85851857ae648f114332d8401e0949a3d",
            },
        ),
    ],
)
