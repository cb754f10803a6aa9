"""Staff see payments, refunds and webhooks read-only, and a booking's payments on its page."""

import pytest

from bookings.services import booking_cancel, booking_create
from payments.models import Payment, Refund, WebhookEvent
from payments.services import payment_apply
from tests.conftest import local


@pytest.fixture
def refunded(service, tomorrow, customer):
    booking = booking_create(service=service, start=local(tomorrow, 10), pay_online=True, **customer)
    payment = Payment.objects.create(booking=booking, order_id="order_Admin0000001", amount=50000, currency="INR")
    entity = {"id": "pay_Admin00000001", "amount": 50000, "currency": "INR", "status": "captured", "captured": True}
    payment_apply(order_id=payment.order_id, entity=entity, source="test")
    booking_cancel(booking, by_staff=True)
    WebhookEvent.objects.create(event_id="evt_Admin00000001", event_type="payment.captured", signature_valid=True)
    return booking


def test_the_booking_page_shows_its_payments_and_refunds(admin_client, refunded):
    page = admin_client.get(f"/admin/bookings/booking/{refunded.pk}/change/").content.decode()
    assert "order_Admin0000001" in page and "pay_Admin00000001" in page
    assert "Booking cancelled" in page  # the refund's reason


@pytest.mark.parametrize("model", [Payment, Refund, WebhookEvent])
def test_payments_refunds_and_webhooks_are_read_only(admin_client, refunded, model):
    base = f"/admin/payments/{model._meta.model_name}/"
    row = model.objects.get()

    assert admin_client.get(base).status_code == 200
    change = admin_client.get(f"{base}{row.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
