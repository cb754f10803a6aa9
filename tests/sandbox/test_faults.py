"""Faults on request: latency, a share of transient failures, timeouts; at run time or from settings."""

import time

import pytest
import razorpay
import requests
from anymail.exceptions import AnymailRequestsAPIError
from django.conf import settings
from django.core.mail import send_mail
from twilio.base.exceptions import TwilioRestException

from notifications.twilio_client import twilio_client
from payments.razorpay_client import razorpay_client

pytestmark = pytest.mark.django_db(transaction=True)


def send_sms(body: str = "Hi"):
    return twilio_client().messages.create(to="+919876543210", from_=settings.TWILIO_SMS_FROM, body=body)


def test_with_latency_set_a_send_takes_that_long(sandbox):
    sandbox.set_faults(twilio={"latency": "2-3"})

    started = time.monotonic()
    send_sms()
    elapsed = time.monotonic() - started

    assert 2 <= elapsed < 4


def test_about_half_fail_with_the_configured_statuses(sandbox):
    sandbox.set_faults(twilio={"failure_rate": 0.5, "failure_statuses": [500, 503], "seed": 20})
    statuses = []
    for n in range(40):
        try:
            send_sms(f"Message {n}")
        except TwilioRestException as error:
            statuses.append(error.status)

    assert 8 <= len(statuses) <= 32
    assert set(statuses) <= {500, 503}
    refused = sandbox.messages(status="refused")  # the inbox shows what the faults refused
    assert len(refused) == len(statuses) and len(sandbox.messages()) == 40
    assert {message["error_code"] for message in refused} <= {20500, 20503}


def test_transient_errors_have_each_providers_body(sandbox):
    sandbox.set_faults(
        twilio={"failure_rate": 1, "failure_statuses": [429]},
        razorpay={"failure_rate": 1, "failure_statuses": [500]},
        postmark={"failure_rate": 1, "failure_statuses": [503]},
    )

    with pytest.raises(TwilioRestException) as twilio_error:
        send_sms()
    with pytest.raises(razorpay.errors.ServerError):
        razorpay_client().order.create({"amount": 50000, "currency": "INR"})
    with pytest.raises(AnymailRequestsAPIError) as email_error:
        send_mail("Hi", "Hi", settings.DEFAULT_FROM_EMAIL, ["asha@example.com"])

    assert (twilio_error.value.status, twilio_error.value.code) == (429, 20429)
    assert email_error.value.status_code == 503 and email_error.value.response.json()["ErrorCode"] == 100


def test_a_timeout_outlasts_the_client(sandbox, settings):
    settings.RAZORPAY_TIMEOUT = 0.3
    sandbox.set_faults(razorpay={"timeout_rate": 1, "timeout_seconds": 1})

    with pytest.raises(requests.exceptions.Timeout):
        razorpay_client().order.create({"amount": 50000, "currency": "INR"})


def test_faults_from_settings_hold_until_changed_at_run_time(sandbox, settings):
    settings.SANDBOX_FAULTS = "postmark:failure_rate=100%,failure_statuses=500"
    assert sandbox.get("api/faults/postmark/")["postmark"]["source"] == "settings"
    with pytest.raises(AnymailRequestsAPIError):
        send_mail("Hi", "Hi", settings.DEFAULT_FROM_EMAIL, ["asha@example.com"])

    shown = sandbox.set_faults(postmark={})  # run time: none
    assert shown["postmark"]["source"] == "runtime" and shown["postmark"]["failure_rate"] == 0
    assert send_mail("Hi", "Hi", settings.DEFAULT_FROM_EMAIL, ["asha@example.com"]) == 1

    reset = requests.delete(f"{sandbox.base}/api/faults/", timeout=10).json()
    assert reset["postmark"]["source"] == "settings" and reset["twilio"]["source"] == "none"


def test_invalid_faults_are_refused(sandbox):
    for body in ({"twilio": {"latency": "soon"}}, {"twilio": {"failure_rate": 2}}, {"fax": {}}, {"twilio": {"x": 1}}):
        assert requests.put(f"{sandbox.base}/api/faults/", json=body, timeout=10).status_code == 400
    assert requests.get(f"{sandbox.base}/api/faults/twilio/", timeout=10).json()["twilio"]["source"] == "none"
