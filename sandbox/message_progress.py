"""What happens to an accepted message afterwards, and how the site hears about it.

A message goes queued -> sent -> delivered (or undelivered / bounced, as the faults
say), one step per SANDBOX_CALLBACK_DELAY. Each step is reported the way the provider
reports it: Twilio posts a signed status callback to the message's StatusCallback;
Postmark posts a Delivery or Bounce record to anymail's tracking webhook.
"""

import base64
import json
from email.utils import getaddresses
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from twilio.request_validator import RequestValidator

from sandbox import callbacks, faults
from sandbox.models import Message, Provider

Status = Message.Status


def start(message: Message) -> None:
    """Takes the message through its next steps once the request that accepted it has committed."""
    transaction.on_commit(lambda: callbacks.later(advance, message.pk))


def advance(message_pk: int) -> None:
    message = Message.objects.filter(pk=message_pk).first()
    if message is None:
        return  # the inbox was cleared meanwhile
    if message.status in (Status.QUEUED, Status.ACCEPTED):
        message.status = Status.SENT
    elif message.status == Status.SENT:
        finish(message)
    else:
        return
    message.save(update_fields=["status", "error_code", "error_message", "updated_at"])
    report(message)
    if message.status == Status.SENT:
        callbacks.later(advance, message.pk)


def finish(message: Message) -> None:
    if not faults.ends_undelivered(message.provider):
        message.status = Status.DELIVERED
    elif message.provider == Provider.TWILIO:
        message.status, message.error_code, message.error_message = (
            Status.UNDELIVERED,
            30003,
            "Unreachable destination handset",
        )
    else:
        message.status, message.error_message = Status.BOUNCED, "Hard bounce: the mailbox does not exist."


def report(message: Message) -> None:
    if message.provider == Provider.TWILIO and message.status_callback:
        twilio_status_callback(message)
    elif message.provider == Provider.POSTMARK and message.status in (Status.DELIVERED, Status.BOUNCED):
        url = callbacks.webhook_url(settings.SANDBOX_POSTMARK_WEBHOOK_URL)
        for recipient in email_recipients(message) if url else ():
            postmark_event(message, recipient, url)


def twilio_status_callback(message: Message) -> None:
    """Posts the form Twilio posts, signed as Twilio signs it (RequestValidator accepts it)."""
    params = {
        "AccountSid": message.request.get("AccountSid", settings.TWILIO_ACCOUNT_SID),
        "ApiVersion": "2010-04-01",
        "MessageSid": message.sid,
        "MessageStatus": message.status,
        "SmsSid": message.sid,
        "SmsStatus": message.status,
        "To": message.to,
    }
    if message.sender:
        params["From"] = message.sender
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    if message.channel == Message.Channel.WHATSAPP:
        params["ChannelPrefix"] = "whatsapp"
    if message.error_code:
        params["ErrorCode"] = str(message.error_code)
    url = message.status_callback
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(url, params)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent": "TwilioProxy/1.1",
        "X-Twilio-Signature": signature,
    }
    callbacks.send(
        provider=Provider.TWILIO,
        event=f"message.{message.status}",
        subject=message.sid,
        url=url,
        body=urlencode(params),
        headers=headers,
    )


def email_recipients(message: Message) -> list[str]:
    fields = [message.request.get(name) or "" for name in ("To", "Cc", "Bcc")]
    return [address for _, address in getaddresses(fields) if address]


def postmark_event(message: Message, recipient: str, url: str) -> None:
    """One record per recipient, as Postmark sends them, with anymail's basic auth."""
    now = timezone.now().isoformat().replace("+00:00", "Z")
    common = {
        "ServerID": 1,
        "MessageStream": message.request.get("MessageStream", "outbound"),
        "MessageID": message.sid,
        "Tag": message.request.get("Tag", ""),
        "Metadata": message.request.get("Metadata") or {},
    }
    if message.status == Status.DELIVERED:
        record = {"RecordType": "Delivery", **common, "Recipient": recipient, "DeliveredAt": now}
        record["Details"] = "Delivered by the sandbox"
    else:
        record = {
            "RecordType": "Bounce",
            **common,
            "ID": message.pk,
            "Type": "HardBounce",
            "TypeCode": 1,
            "Name": "Hard bounce",
            "Email": recipient,
            "From": message.sender,
            "Subject": message.subject,
            "BouncedAt": now,
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Inactive": True,
            "CanActivate": True,
            "DumpAvailable": False,
        }
    secret = settings.ANYMAIL.get("WEBHOOK_SECRET", "")
    secret = secret[0] if isinstance(secret, list | tuple) else secret
    headers = {"Content-Type": "application/json", "User-Agent": "Postmark"}
    if secret:
        headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
    callbacks.send(
        provider=Provider.POSTMARK,
        event=record["RecordType"],
        subject=message.sid,
        url=url,
        body=json.dumps(record),
        headers=headers,
    )
