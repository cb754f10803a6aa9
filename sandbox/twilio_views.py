"""Twilio's Messages API (2010-04-01), the part this project uses: SMS and WhatsApp.

Twilio's rules that production code must live with are kept: E.164 numbers (21211), a
From or a Messaging Service (21603), a body or a template (21602), From and To on the
same channel (21910), and no free-form WhatsApp text outside a customer's 24-hour
window (63016) - the sandbox has no inbound messages, so every free-form WhatsApp
message is business-initiated and needs a template (ContentSid).
"""

import contextlib
import json
import math
import re
from email.utils import format_datetime

import phonenumbers
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from sandbox import ids, message_progress
from sandbox.basic_auth import has_credentials
from sandbox.faults import provider_api
from sandbox.models import Message, Provider

API_VERSION = "2010-04-01"
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
WHATSAPP = "whatsapp:"
NOT_SENT = (Message.Status.QUEUED, Message.Status.ACCEPTED, Message.Status.REFUSED)

TRANSIENT = {
    429: (20429, "Too Many Requests"),
    500: (20500, "An internal server error has occurred"),
    503: (20503, "Service Unavailable"),
    504: (20504, "Gateway Timeout"),
}


def twilio_error(status: int, code: int, message: str) -> JsonResponse:
    """Twilio's error body; TwilioRestException takes .status, .code and .msg from it."""
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return JsonResponse(body, status=status)


def transient_error(status: int) -> JsonResponse:
    code, message = TRANSIENT.get(status, (status, "Service error"))
    response = twilio_error(status, code, message)
    if status == 429:
        response["Retry-After"] = "1"
    return response


def refuse_unauthorized(request, account_sid: str) -> JsonResponse | None:
    if not has_credentials(request, settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN):
        response = JsonResponse(
            {
                "code": 20003,
                "detail": "Your AccountSid or AuthToken was incorrect.",
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401,
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Basic realm="Twilio API"'
        return response
    if account_sid != settings.TWILIO_ACCOUNT_SID:
        return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
    return None


def is_valid_number(address: str) -> bool:
    number = address.removeprefix(WHATSAPP)
    if not E164.match(number):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        return False


def refusal(data) -> tuple[int, str] | None:
    """Twilio's error code and message for a request it would refuse, or None."""
    to, sender, body = data.get("To", ""), data.get("From", ""), data.get("Body", "")
    content_sid = data.get("ContentSid", "")
    if not to:
        return 21604, "A 'To' phone number is required."
    if not sender and not data.get("MessagingServiceSid"):
        return 21603, "A 'From' phone number is required."
    if not body and not content_sid and not data.get("MediaUrl"):
        return 21602, "Message body is required."
    if not is_valid_number(to):
        return 21211, f"Invalid 'To' Phone Number: {to}"
    if sender and not is_valid_number(sender):
        return 21212, f"Invalid From Number (caller ID): {sender}"
    if sender and to.startswith(WHATSAPP) != sender.startswith(WHATSAPP):
        return 21910, "Invalid From and To pair. From and To should be of the same channel"
    if len(body) > 1600:
        return 21617, "The concatenated message body exceeds the 1600 character limit."
    if content_sid and not CONTENT_SID.match(content_sid):
        return 21655, "The ContentSid is Invalid."
    if data.get("ContentVariables"):
        try:
            if not isinstance(json.loads(data["ContentVariables"]), dict):
                raise ValueError
        except ValueError:
            return 21656, "The ContentVariables Parameter is invalid."
    if to.startswith(WHATSAPP) and not content_sid:
        return 63016, (
            "Failed to send freeform message because you are outside the allowed window. "
            "If you are using WhatsApp, please use a Message Template."
        )
    return None


def message_resource(message: Message) -> dict:
    account_sid = message.request.get("AccountSid", settings.TWILIO_ACCOUNT_SID)
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{message.sid}.json"
    segments = 1 if len(message.body) <= 160 else math.ceil(len(message.body) / 153)
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": format_datetime(message.created_at),
        "date_sent": None if message.status in NOT_SENT else format_datetime(message.updated_at),
        "date_updated": format_datetime(message.updated_at),
        "direction": "outbound-api",
        "error_code": message.error_code,
        "error_message": message.error_message or None,
        "from": message.sender or None,
        "messaging_service_sid": message.messaging_service_sid or None,
        "num_media": "0",
        "num_segments": str(segments),
        "price": None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": uri.removesuffix(".json") + "/Media.json"},
        "to": message.to,
        "uri": uri,
    }


def record(data, account_sid: str, status: str, error: tuple[int, str] | None = None) -> Message:
    to = data.get("To", "")
    variables = data.get("ContentVariables")
    with contextlib.suppress(ValueError):  # refused already: keep the text as sent
        variables = json.loads(variables) if variables else None
    return Message.objects.create(
        sid=ids.twilio_sid("SM"),
        provider=Provider.TWILIO,
        channel=Message.Channel.WHATSAPP if to.startswith(WHATSAPP) else Message.Channel.SMS,
        sender=data.get("From", ""),
        to=to,
        body=data.get("Body", ""),
        content_sid=data.get("ContentSid", ""),
        content_variables=variables,
        messaging_service_sid=data.get("MessagingServiceSid", ""),
        status_callback=data.get("StatusCallback", ""),
        status=status,
        error_code=error[0] if error else None,
        error_message=error[1] if error else "",
        request={**{key: data.get(key) for key in data}, "AccountSid": account_sid},
    )


def record_failure(request, failure: JsonResponse, account_sid: str) -> None:
    error = json.loads(failure.content)
    record(request.POST, account_sid, Message.Status.REFUSED, (error["code"], f"{error['message']} (injected fault)"))


@provider_api(Provider.TWILIO, transient_error, record_failure)
@require_POST
def create_message(request, account_sid: str):
    refused = refuse_unauthorized(request, account_sid)
    if refused:
        return refused
    error = refusal(request.POST)
    if error:
        # Twilio keeps no message for a refused request; the inbox shows it so a tester sees why.
        record(request.POST, account_sid, Message.Status.REFUSED, error)
        return twilio_error(400, *error)
    status = Message.Status.QUEUED if request.POST.get("From") else Message.Status.ACCEPTED
    message = record(request.POST, account_sid, status)
    message_progress.start(message)
    return JsonResponse(message_resource(message), status=201)


@provider_api(Provider.TWILIO, transient_error)
@require_GET
def fetch_message(request, account_sid: str, sid: str):
    refused = refuse_unauthorized(request, account_sid)
    if refused:
        return refused
    message = Message.objects.filter(provider=Provider.TWILIO, sid=sid).exclude(status=Message.Status.REFUSED).first()
    if message is None:
        return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
    return JsonResponse(message_resource(message))
