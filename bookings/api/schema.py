"""OpenAPI documentation of the operations (drf-spectacular), kept out of the views."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema

from .idempotency import HEADER as IDEMPOTENCY_HEADER
from .idempotency import REPLAYED_HEADER
from .permissions import BOOKING_TOKEN_HEADER
from .serializers import (
    BookingCreatedOutputSerializer,
    BookingCreateInputSerializer,
    BookingFilterSerializer,
    BookingOutputSerializer,
    ErrorSerializer,
    ServiceOutputSerializer,
    SlotsOutputSerializer,
    SlotsQuerySerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
)


def _error(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "fields": fields or {}}


ERRORS = {
    400: (
        "`invalid`: field errors in `fields` by request path; `parse_error`: the body is not JSON.",
        _error(
            "invalid",
            "customer.phone: Enter a valid mobile number, e.g. +91 98765 43210.",
            {"customer.phone": ["Enter a valid mobile number, e.g. +91 98765 43210."]},
        ),
    ),
    401: (
        "`not_authenticated` or `authentication_failed`: log in (Authorization: Token ...).",
        _error("not_authenticated", "Authentication credentials were not provided."),
    ),
    403: ("`permission_denied`: staff only.", _error("permission_denied", "Only staff can do this.")),
    404: (
        "`not_found`: no such resource, or a booking that is not yours (same answer).",
        _error("not_found", "Not found."),
    ),
    409: (
        "A conflict with the booking's state: `invalid_transition`, `cancellation_closed`, `hold_expired`.",
        _error("invalid_transition", "A completed booking cannot become cancelled."),
    ),
    413: ("`request_too_large`.", _error("request_too_large", "The request body is too large.")),
    415: (
        "`unsupported_media_type`: send application/json.",
        _error("unsupported_media_type", 'Unsupported media type "text/plain" in request.'),
    ),
    422: (
        "`idempotency_key_reused`: this Idempotency-Key came with another body.",
        _error("idempotency_key_reused", "This Idempotency-Key was already used with a different request body."),
    ),
    429: (
        "`throttled`: too many requests; see the Retry-After header.",
        _error("throttled", "Request was throttled. Expected available in 42 seconds."),
    ),
}


def errors(*statuses: int, **descriptions: tuple[str, dict]) -> dict[int, OpenApiResponse]:
    """Documented error responses; `descriptions` (s409=(text, example)) replace the defaults."""
    documented = {}
    for code in statuses:
        text, example = descriptions.get(f"s{code}", ERRORS[code])
        documented[code] = OpenApiResponse(
            ErrorSerializer, description=text, examples=[OpenApiExample(example["code"], value=example)]
        )
    return documented


def _booking_example(**changes) -> dict:
    return {
        "id": 42,
        "reference": "BK-7KQ2MX",
        "status": "pending",
        "service": "yoga-class",
        "service_name": "Morning yoga class",
        "start": "2026-12-10T07:00:00+05:30",
        "end": "2026-12-10T08:00:00+05:30",
        "amount": 30000,
        "currency": "INR",
        "customer": {"name": "Asha Rao", "phone": "+919876543210", "email": "asha@example.com"},
        "channels": ["sms", "whatsapp", "email"],
        "notes": "",
        "hold_expires_at": None,
        "created_at": "2026-12-04T18:05:11.204311+05:30",
        **changes,
    }


BOOKING_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The booking's id.")
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, description="1-255 visible ASCII characters."
)
BOOKING_TOKEN = OpenApiParameter(
    BOOKING_TOKEN_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="The `access_token` of the booking's 201 response: access to that booking without a login.",
)
OWNER_NOTE = "Allowed to its customer (logged in), the holder of its access token (X-Booking-Token) and staff."
CSRF_403 = (
    "`permission_denied`: a session (cookie) login without its CSRF token; token logins need none.",
    _error("permission_denied", "CSRF Failed: CSRF token missing."),
)

service_list = extend_schema(
    operation_id="services_list",
    tags=["services"],
    summary="Services customers can book",
    description="Active services with their price (minor units) and duration. Anyone may call it.",
    responses={200: ServiceOutputSerializer, **errors(401, 404)},
)

service_slots = extend_schema(
    operation_id="services_slots",
    tags=["services"],
    summary="Free starts of a day",
    description="The starts still bookable on `date` (in the business time zone), with the places left at each. "
    "Days without opening hours, closed, past or beyond the booking horizon have none.",
    parameters=[
        OpenApiParameter(
            "slug",
            str,
            OpenApiParameter.PATH,
            description="The service's slug.",
            examples=[OpenApiExample("yoga-class", value="yoga-class")],
        ),
        SlotsQuerySerializer,
    ],
    responses={200: SlotsOutputSerializer, **errors(400, 401, 404)},
    examples=[
        OpenApiExample(
            "Slots",
            response_only=True,
            value={
                "service": "yoga-class",
                "date": "2026-12-10",
                "time_zone": "Asia/Kolkata",
                "slots": [
                    {"start": "2026-12-10T06:00:00+05:30", "end": "2026-12-10T07:00:00+05:30", "places_left": 12},
                    {"start": "2026-12-10T07:00:00+05:30", "end": "2026-12-10T08:00:00+05:30", "places_left": 3},
                ],
            },
        )
    ],
)

booking_list = extend_schema(
    operation_id="bookings_list",
    tags=["bookings"],
    summary="Bookings you may see",
    description="A customer sees their own bookings, staff see all. Needs a login: 401 otherwise.",
    parameters=[BookingFilterSerializer],
    responses={200: BookingOutputSerializer, **errors(400, 401, 404)},
)

booking_create = extend_schema(
    operation_id="bookings_create",
    tags=["bookings"],
    summary="Book a place (no online payment)",
    description=(
        "Books one place at `start`. Anyone may book; a logged-in customer's booking is linked to their "
        "account. The 201 response carries `access_token`, shown only then: send it back in the "
        f"{BOOKING_TOKEN_HEADER} header to read or cancel the booking without a login.\n\n"
        "Services paid online answer 400 `payment_required`: book them with POST "
        "/api/bookings/razorpay-booking.\n\n"
        f"`{IDEMPOTENCY_HEADER}` (optional, e.g. a UUID): repeating a request with the same key and body returns "
        f"the first response again (the same 201 and booking, with `{REPLAYED_HEADER}: true`) instead of booking "
        "twice; the same key with another body is 422 `idempotency_key_reused`, and while the first request is "
        "still running 409 `idempotency_key_in_progress`. Failed requests store nothing. Keys last 24 hours."
    ),
    request=BookingCreateInputSerializer,
    parameters=[IDEMPOTENCY_KEY],
    responses={
        201: BookingCreatedOutputSerializer,
        **errors(
            400,
            401,
            403,
            409,
            413,
            415,
            422,
            429,
            s403=CSRF_403,
            s409=(
                "`slot_unavailable`: the start was taken meanwhile (ask for the slots again); "
                "`idempotency_key_in_progress`.",
                _error("slot_unavailable", "That time is no longer available."),
            ),
        ),
    },
    examples=[
        OpenApiExample(
            "Booking",
            request_only=True,
            value={
                "service": "yoga-class",
                "start": "2026-12-10T07:00:00+05:30",
                "customer": {"name": "Asha Rao", "phone": "+91 98765 43210", "email": "asha@example.com"},
                "channels": ["sms", "whatsapp", "email"],
                "notes": "First class",
            },
        ),
        OpenApiExample(
            "Booked",
            response_only=True,
            status_codes=[201],
            value=_booking_example(notes="First class", access_token="q1Vf3yO0b6kU8sJm2Zx9TcLwRr4pNe7A"),
        ),
    ],
)

booking_detail = extend_schema(
    operation_id="bookings_retrieve",
    tags=["bookings"],
    summary="One booking",
    description=OWNER_NOTE + " Anyone else gets 404.",
    parameters=[BOOKING_ID, BOOKING_TOKEN],
    responses={200: BookingOutputSerializer, **errors(401, 404)},
    examples=[OpenApiExample("Booking", response_only=True, value=_booking_example())],
)

booking_cancel = extend_schema(
    operation_id="bookings_cancel",
    tags=["bookings"],
    summary="Cancel a booking",
    description=OWNER_NOTE + " Customers may cancel until the cancellation window closes "
    "(409 `cancellation_closed`), staff at any time. A paid booking is refunded.",
    parameters=[BOOKING_ID, BOOKING_TOKEN],
    request=None,
    responses={
        200: BookingOutputSerializer,
        **errors(
            401,
            403,
            404,
            409,
            s403=CSRF_403,
            s409=(
                "`cancellation_closed`: too late to cancel online; `invalid_transition`: already finished.",
                _error("cancellation_closed", "It is too late to cancel this booking online; please call us."),
            ),
        ),
    },
    examples=[OpenApiExample("Cancelled", response_only=True, value=_booking_example(status="cancelled"))],
)

booking_confirm = extend_schema(
    operation_id="bookings_confirm",
    tags=["bookings (staff)"],
    summary="Confirm a pending booking (staff)",
    parameters=[BOOKING_ID],
    request=None,
    responses={200: BookingOutputSerializer, **errors(401, 403, 404, 409)},
    examples=[OpenApiExample("Confirmed", response_only=True, value=_booking_example(status="confirmed"))],
)

booking_complete = extend_schema(
    operation_id="bookings_complete",
    tags=["bookings (staff)"],
    summary="Mark a confirmed booking completed (staff)",
    parameters=[BOOKING_ID],
    request=None,
    responses={200: BookingOutputSerializer, **errors(401, 403, 404, 409)},
    examples=[OpenApiExample("Completed", response_only=True, value=_booking_example(status="completed"))],
)

auth_token = extend_schema(
    operation_id="auth_token_create",
    tags=["auth"],
    summary="A token for a username and password",
    description='Send the token as "Authorization: Token <token>". The same token is returned until revoked.',
    auth=[],
    request=TokenInputSerializer,
    responses={
        200: TokenOutputSerializer,
        **errors(
            400,
            415,
            429,
            s400=(
                "`invalid_credentials`: wrong username or password; `invalid`: a field is missing.",
                _error("invalid_credentials", "Unable to log in with the username and password given."),
            ),
        ),
    },
    examples=[
        OpenApiExample("Login", request_only=True, value={"username": "asha", "password": "correct horse"}),
        OpenApiExample("Token", response_only=True, value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}),
    ],
)
