"""SANDBOX_FAULTS as written in an environment variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sandbox.faults import FaultConfig, configured_faults, parse_faults


def test_the_compact_form_sets_each_provider():
    faults = parse_faults("twilio:latency=2-3,failure_rate=10%;razorpay:failure_statuses=500/503,seed=4")

    assert faults["twilio"] == FaultConfig(latency_min=2, latency_max=3, failure_rate=0.1)
    assert faults["razorpay"] == FaultConfig(failure_statuses=(500, 503), seed=4)
    assert "postmark" not in faults


def test_a_star_sets_every_provider_and_json_works_too():
    assert set(parse_faults("*:latency=1")) == {"twilio", "razorpay", "postmark"}
    assert parse_faults('{"postmark": {"latency": [1, 2]}}')["postmark"].latency_max == 2


@pytest.mark.parametrize(
    "value", ["twilio:latency=3-2", "fax:latency=1", "twilio:latency", "twilio:failure_statuses=200", "twilio:foo=1"]
)
def test_mistakes_stop_the_process(settings, value):
    settings.SANDBOX_FAULTS = value

    with pytest.raises(ImproperlyConfigured):
        configured_faults()
