"""Email through Django's mail API; in production a django-anymail backend."""

from anymail.exceptions import AnymailError, AnymailRequestsAPIError
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from bookings_project.provider_http import per_thread, settle_environment

from ..rendering import Rendered
from . import Channel, TransportError


def _connection():
    """This thread's open mail connection (bookings_project/provider_http.py): anymail's
    requests session, and its connection to the provider, last beyond one message."""
    return per_thread("email", (settings.EMAIL_BACKEND, repr(getattr(settings, "ANYMAIL", None))), _open)


def _open():
    connection = get_connection()
    connection.open()
    session = getattr(connection, "session", None)  # anymail's requests-based backends
    if session is not None:
        settle_environment(session, getattr(connection, "api_url", ""))
    return connection


class EmailChannel(Channel):
    def send(self, recipient: str, message: Rendered) -> str:
        email = EmailMultiAlternatives(
            message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [recipient], connection=_connection()
        )
        email.attach_alternative(message.html, "text/html")
        try:
            email.send()
        except AnymailRequestsAPIError as error:
            # No status: the request never got an answer (timeout, connection refused).
            transient = error.status_code is None or error.status_code == 429 or error.status_code >= 500
            raise TransportError(f"Email provider: {error}", permanent=not transient) from error
        except AnymailError as error:  # refused recipients, invalid address, ...
            raise TransportError(f"Email refused: {error}", permanent=True) from error
        status = getattr(email, "anymail_status", None)  # absent with Django's own backends
        return (status.message_id or "") if status else ""
