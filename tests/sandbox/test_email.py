"""Email through django-anymail's Postmark backend, answered and tracked as Postmark does."""

import base64

import pytest
from anymail.exceptions import AnymailRecipientsRefused, AnymailRequestsAPIError
from anymail.signals import tracking
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def booking_email(**kwargs) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        "Your booking BK-ABC123",
        "See you at 10.",
        settings.DEFAULT_FROM_EMAIL,
        ["Asha Rao <asha@example.com>"],
        **kwargs,
    )
    email.attach_alternative("<p>See you at <b>10</b>.</p>", "text/html")
    return email


def test_an_email_with_html_and_text_is_sent_and_shows_in_the_inbox(sandbox):
    email = booking_email()
    assert email.send() == 1

    assert email.anymail_status.status == {"sent"}
    [shown] = sandbox.messages(to="asha@example.com", channel="email")
    assert shown["sid"] == email.anymail_status.message_id
    assert (shown["subject"], shown["body"], shown["html"]) == (
        "Your booking BK-ABC123",
        "See you at 10.",
        "<p>See you at <b>10</b>.</p>",
    )
    assert shown["from"] == settings.DEFAULT_FROM_EMAIL


def test_a_wrong_server_token_is_refused_as_postmark_does(sandbox):
    connection = get_connection(settings.EMAIL_BACKEND, server_token="not-the-token")

    with pytest.raises(AnymailRequestsAPIError) as refused:
        booking_email(connection=connection).send()

    assert refused.value.status_code == 401
    assert refused.value.response.json()["ErrorCode"] == 10
    assert sandbox.messages() == []


def test_an_invalid_recipient_is_refused(sandbox):
    email = EmailMultiAlternatives("Hi", "Hi", settings.DEFAULT_FROM_EMAIL, ["asha@example"])

    with pytest.raises(AnymailRecipientsRefused):
        email.send()

    assert email.anymail_status.recipients["asha@example"].status == "invalid"
    assert sandbox.messages()[0]["status"] == "refused"


def test_the_delivery_webhook_reaches_anymail_with_its_basic_auth(sandbox, receiver, settings):
    settings.SANDBOX_POSTMARK_WEBHOOK_URL = f"{receiver.url}/anymail/postmark/tracking/"
    email = booking_email()
    email.send()

    [delivery] = receiver.wait_for(1)
    assert delivery.path == "/anymail/postmark/tracking/"
    assert delivery.json["RecordType"] == "Delivery"
    assert delivery.json["MessageID"] == email.anymail_status.message_id
    credentials = base64.b64encode(settings.ANYMAIL["WEBHOOK_SECRET"].encode()).decode()
    assert delivery.headers["Authorization"] == f"Basic {credentials}"

    # anymail's own webhook view takes it as a "delivered" tracking event.
    events = []
    tracking.connect(lambda sender, event, **kwargs: events.append(event), weak=False, dispatch_uid="test-email")
    try:
        request = RequestFactory().post(
            delivery.path, delivery.body, content_type="application/json", HTTP_AUTHORIZATION=f"Basic {credentials}"
        )
        assert PostmarkTrackingWebhookView.as_view()(request).status_code == 200
    finally:
        tracking.disconnect(dispatch_uid="test-email")
    assert [(event.event_type, event.message_id) for event in events] == [
        ("delivered", email.anymail_status.message_id)
    ]
