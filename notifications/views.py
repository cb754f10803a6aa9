"""Delivery receipts from the providers."""

from anymail.signals import tracking
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from .services import record_receipt


@csrf_exempt
@require_POST
def twilio_status(request):
    """Twilio's status callback. The URL must match what Twilio signed: behind a TLS
    proxy, SECURE_PROXY_SSL_HEADER makes build_absolute_uri say https."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(request.build_absolute_uri(), request.POST, signature):
        return HttpResponseForbidden("Invalid signature")
    record_receipt(request.POST.get("MessageSid", ""), request.POST.get("MessageStatus", ""))
    return HttpResponse(status=204)


@receiver(tracking, dispatch_uid="notifications.email_receipt")
def email_receipt(sender, event, esp_name, **kwargs):
    """anymail has checked the webhook's credentials before sending this signal."""
    record_receipt(event.message_id or "", event.event_type)
