"""Postmark's send API as django-anymail's Postmark backend calls it: /email and /email/batch."""

import json
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_POST

from sandbox import ids, message_progress
from sandbox.faults import provider_api
from sandbox.models import Message, Provider

TRANSIENT = {
    429: (429, "Rate limit exceeded. Please slow down your requests."),
    500: (500, "Internal server error."),
    503: (100, "The Postmark API is offline for maintenance."),  # Postmark's ErrorCode 100: Maintenance
    504: (504, "Gateway timeout."),
}
RECIPIENT_FIELDS = ("To", "Cc", "Bcc")


def postmark_error(status: int, code: int, message: str) -> JsonResponse:
    return JsonResponse({"ErrorCode": code, "Message": message}, status=status)


def transient_error(status: int) -> JsonResponse:
    return postmark_error(status, *TRANSIENT.get(status, (status, "Service error.")))


def refuse_unauthorized(request) -> JsonResponse | None:
    token = request.headers.get("X-Postmark-Server-Token", "")
    if not token:
        return postmark_error(
            401,
            10,
            "No Account or Server API tokens were supplied in the HTTP headers. "
            "Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.",
        )
    if not constant_time_compare(token, settings.ANYMAIL.get("POSTMARK_SERVER_TOKEN", "")):
        return postmark_error(
            401,
            10,
            "The Server Token you provided in the X-Postmark-Server-Token request header was invalid. "
            "Please verify that you are using a valid token.",
        )
    return None


def invalid_address(field: str, value: str) -> str | None:
    for _, address in getaddresses([value]):
        try:
            validate_email(address)
        except ValidationError:
            return f"Invalid '{field}' address: '{address}'."
    return None


def refusal(data: dict) -> str | None:
    """Postmark's message for an invalid email request (ErrorCode 300), or None."""
    sender = data.get("From") or ""
    if not sender or invalid_address("From", sender):
        return f"Invalid 'From' address: '{sender}'."
    if not any(data.get(field) for field in RECIPIENT_FIELDS):
        return "Zero recipients specified"
    for field in RECIPIENT_FIELDS:
        error = data.get(field) and invalid_address(field, data[field])
        if error:
            return error
    if not data.get("TextBody") and not data.get("HtmlBody"):
        return "Provide either email TextBody or HtmlBody or both."
    return None


def record(data: dict, error_code: int | None = None, error_message: str = "") -> Message:
    return Message.objects.create(
        sid=ids.postmark_message_id(),
        provider=Provider.POSTMARK,
        channel=Message.Channel.EMAIL,
        sender=str(data.get("From") or ""),
        to=", ".join(str(data[field]) for field in RECIPIENT_FIELDS if data.get(field)),
        subject=str(data.get("Subject") or ""),
        body=str(data.get("TextBody") or ""),
        html=str(data.get("HtmlBody") or ""),
        status=Message.Status.REFUSED if error_code else Message.Status.SENT,
        error_code=error_code,
        error_message=error_message,
        request=data,
    )


def record_failure(request, failure: JsonResponse) -> None:
    data = json_body(request)
    error = json.loads(failure.content)
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            record(item, error["ErrorCode"], f"{error['Message']} (injected fault, HTTP {failure.status_code})")


def accept(data: dict) -> dict:
    """Postmark's answer for one message; an accepted one is in the inbox and on its way."""
    error = refusal(data)
    message = record(data, 300, error) if error else record(data)
    if error:
        return {"ErrorCode": 300, "Message": error}
    message_progress.start(message)
    answer = {
        "SubmittedAt": timezone.localtime().isoformat(),
        "MessageID": message.sid,
        "ErrorCode": 0,
        "Message": "OK",
    }
    if data.get("To"):
        answer["To"] = data["To"]
    return answer


def json_body(request):
    try:
        return json.loads(request.body)
    except ValueError:
        return None


@provider_api(Provider.POSTMARK, transient_error, record_failure)
@require_POST
def send_email(request):
    refused = refuse_unauthorized(request)
    if refused:
        return refused
    data = json_body(request)
    if not isinstance(data, dict):
        return postmark_error(422, 402, "Received invalid JSON input.")
    answer = accept(data)
    return JsonResponse(answer, status=200 if answer["ErrorCode"] == 0 else 422)


@provider_api(Provider.POSTMARK, transient_error, record_failure)
@require_POST
def send_batch(request):
    refused = refuse_unauthorized(request)
    if refused:
        return refused
    data = json_body(request)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return postmark_error(422, 402, "Received invalid JSON input.")
    return JsonResponse([accept(item) for item in data], safe=False)
