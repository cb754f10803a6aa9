"""Razorpay orders through the SDK: created, fetched, refused in Razorpay's error shape."""

import pytest
import razorpay
from django.conf import settings

from payments.razorpay_client import razorpay_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_order_is_created_and_fetched(sandbox):
    client = razorpay_client()
    order = client.order.create({"amount": 50000, "currency": "INR", "receipt": "BK-ABC123", "notes": {"b": "1"}})

    assert order["id"].startswith("order_") and len(order["id"]) == 20
    assert (order["entity"], order["amount"], order["amount_due"], order["status"]) == (
        "order",
        50000,
        50000,
        "created",
    )
    assert client.order.fetch(order["id"]) == order
    assert client.order.payments(order["id"]) == {"entity": "collection", "count": 0, "items": []}
    assert [o["id"] for o in sandbox.payments()["orders"]] == [order["id"]]


@pytest.mark.parametrize(("sent", "recorded"), [(1, True), ("true", True), (False, False), (None, None)])
def test_an_order_records_the_payment_capture_it_asked_for(sandbox, sent, recorded):
    data = {"amount": 50000, "currency": "INR"} | ({} if sent is None else {"payment_capture": sent})
    order = razorpay_client().order.create(data)

    assert sandbox.payments(order_id=order["id"])["orders"][0]["payment_capture"] is recorded


@pytest.mark.parametrize(
    ("data", "description"),
    [
        ({"amount": 50, "currency": "INR"}, "Order amount less than minimum amount allowed"),
        ({"amount": "lots", "currency": "INR"}, "The amount must be an integer."),
        ({"amount": 50000}, "The currency field is required."),
        ({"amount": 50000, "currency": "INR", "payment_capture": "maybe"}, "must be true or false"),
    ],
)
def test_invalid_orders_are_refused_as_bad_requests(sandbox, data, description):
    with pytest.raises(razorpay.errors.BadRequestError, match=description):
        razorpay_client().order.create(data)


def test_an_unknown_id_is_a_bad_request(sandbox):
    with pytest.raises(razorpay.errors.BadRequestError, match="The id provided does not exist"):
        razorpay_client().order.fetch("order_000000000000000")


def test_wrong_credentials_are_refused(sandbox):
    wrong = razorpay.Client(auth=(settings.RAZORPAY_KEY_ID, "not-the-secret"), base_url=settings.RAZORPAY_API_BASE)

    with pytest.raises(razorpay.errors.BadRequestError, match="Authentication failed"):
        wrong.order.create({"amount": 50000, "currency": "INR"})

    assert sandbox.payments()["orders"] == []
