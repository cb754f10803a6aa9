"""One exception handler: every API error is JSON {"code": ..., "detail": ..., "fields": {...}}.

- `code` is stable and machine-readable, `detail` is a sentence for people.
- `fields` maps a field's path in the request body (dots between levels, list
  items by index: "customer.phone", "channels.0") to its messages; it is {} when
  the error is not about particular fields. Errors that concern the request as a
  whole are under "non_field_errors", a header's under its name ("Idempotency-Key").

Field errors from serializers and from the booking services (Django ValidationError
with a dict keyed by service argument names) come out the same way: a view maps the
service's names onto its request paths with `service_field_paths`.
"""

import math
import sys

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from bookings.errors import DomainError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

# Codes a service's field error may carry that tell a client more than "invalid".
SPECIFIC_FIELD_CODES = {
    "payment_required": "This service is paid online when booking: use POST /api/bookings/razorpay-booking.",
}


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request body."


class IdempotencyKeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_progress"
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"
    default_detail = "Unable to log in with the username and password given."


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"code": code, "detail": str(detail), "fields": fields or {}}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: None (a 500) only for what is a bug of ours."""
    view = context.get("view")
    if isinstance(exc, DjangoValidationError):
        return _service_validation_error(exc, getattr(view, "service_field_paths", {}))
    if isinstance(exc, DomainError):
        return _respond(exc.status_code, error_body(exc.code, exc.detail))
    if isinstance(exc, RequestDataTooBig):
        body = error_body("request_too_large", "The request body is too large.")
        return _respond(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, body)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)  # keep the rule's reason
    if isinstance(exc, exceptions.ValidationError):
        return _respond(status.HTTP_400_BAD_REQUEST, _invalid(flatten(exc.detail)))
    if isinstance(exc, exceptions.APIException):
        return _api_exception(exc)
    return None


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"customer.phone": [...], "channels.0": [...]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            if not prefix:
                path = str(key)
            elif key == NON_FIELD:  # a nested object's own errors ("expected a dictionary") are at its path
                path = prefix
            else:
                path = f"{prefix}.{key}"
            fields.update(flatten(value, path))
        return fields
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]} if detail else {}
        fields = {}
        for index, item in enumerate(detail):
            fields.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    return {prefix or NON_FIELD: [str(detail)]}


def _invalid(fields: dict[str, list[str]], code: str = "invalid", detail: str = "") -> dict:
    if not detail:
        path, messages = next(iter(fields.items()), (NON_FIELD, ["Invalid input."]))
        detail = messages[0] if path == NON_FIELD else f"{path}: {messages[0]}"
        if len(fields) > 1:
            detail += f" (and {len(fields) - 1} more field errors)"
    return error_body(code, detail, fields)


def _service_validation_error(error: DjangoValidationError, paths: dict[str, str]) -> Response:
    if hasattr(error, "error_dict"):
        paths = {NON_FIELD_ERRORS: NON_FIELD, **paths}
        fields = {paths.get(name, name): messages for name, messages in error.message_dict.items()}
    else:
        fields = {NON_FIELD: error.messages}
    specific = _service_error_codes(error) & SPECIFIC_FIELD_CODES.keys()
    if specific:
        code = sorted(specific)[0]
        return _respond(status.HTTP_400_BAD_REQUEST, _invalid(fields, code, SPECIFIC_FIELD_CODES[code]))
    return _respond(status.HTTP_400_BAD_REQUEST, _invalid(fields))


def _service_error_codes(error: DjangoValidationError) -> set[str]:
    """The codes of a service's ValidationError and of each of its messages."""
    messages = [m for ms in getattr(error, "error_dict", {}).values() for m in ms] or getattr(error, "error_list", [])
    codes = {getattr(message, "code", None) for message in messages}
    # Django keeps no `code` for a dict of messages, ValidationError({...}, code=...),
    # but the exception's arguments still hold it.
    if len(error.args) > 1:
        codes.add(error.args[1])
    return {code for code in codes if isinstance(code, str)}


def _api_exception(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    detail = exc.detail
    if isinstance(detail, list | dict):  # an APIException raised with structured detail
        fields = flatten(detail)
        return _respond(exc.status_code, _invalid(fields, code=exc.default_code), headers)
    code = getattr(detail, "code", None) or exc.default_code
    return _respond(exc.status_code, error_body(code, detail), headers)


def _respond(status_code: int, body: dict, headers: dict | None = None) -> Response:
    set_rollback()
    return Response(body, status=status_code, headers=headers)


# --- Django's own error pages, as JSON under /api/ (handler400/404/500 in the project's urls)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "The request could not be understood."), status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django calls this inside its `except`: the exception is at hand. Every uncaught error
    # passes here, from a view (the API's handler leaves it to us) or a middleware.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if _is_api(request):
        body = error_body("server_error", "Something went wrong on our side; it has been logged.")
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


def service_unavailable(request):
    """The database is unreachable (or refused the query): 503, not a stack trace. Nothing
    to reset when it is back: Django drops a connection that saw an error, and
    CONN_HEALTH_CHECKS checks a kept one before reusing it."""
    if _is_api(request):
        body = error_body("service_unavailable", "The service is briefly unavailable; try again shortly.")
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)  # no context: no database
    response["Retry-After"] = "30"
    return response
