"""Payments, refunds and webhooks, read-only: they record what the provider did. Staff
refund a paid booking by cancelling it; the booking page shows its payments and refunds."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery

from bookings.admin import BookingAdmin, ReadOnlyInline

from .models import Payment, Refund, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        # Every field: no form field is built, not even the booking's choices.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order_id", "booking", "status", "amount", "currency", "payment_id", "created_at", "last_error"]
    list_filter = ["status", "provider"]
    search_fields = ["order_id", "payment_id", "booking__reference"]
    list_select_related = ["booking"]
    date_hierarchy = "created_at"


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["booking", "amount", "currency", "reason", "status", "attempts", "provider_refund_id", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["booking__reference", "provider_refund_id", "provider_payment_id", "idempotency_key"]
    list_select_related = ["booking"]
    date_hierarchy = "created_at"


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "event_id", "signature_valid", "received_at", "processed_at", "deliveries", "result"]
    list_filter = ["signature_valid", "event_type"]
    search_fields = ["event_id"]
    date_hierarchy = "received_at"


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["order_id", "payment_id", "status", "amount", "amount_refunded", "captured_at", "last_error"]
    ordering = ["created_at", "id"]


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = ["amount", "reason", "status", "attempts", "provider_refund_id", "last_error", "created_at"]
    ordering = ["created_at", "id"]


STATUS_LABELS = dict(Payment.Status.choices)


@admin.display(description="Payment")
def payment_at_a_glance(booking) -> str:
    return STATUS_LABELS.get(booking.payment_status, "-")


# The booking page shows its payments and refunds, and the list the latest payment's status
# (one subquery, however long the page); bookings/ itself knows nothing of payments.
BookingAdmin.inlines = [*BookingAdmin.inlines, PaymentInline, RefundInline]
BookingAdmin.list_display = [*BookingAdmin.list_display, payment_at_a_glance]
BookingAdmin.list_annotations = {
    **BookingAdmin.list_annotations,
    "payment_status": Subquery(
        Payment.objects.filter(booking=OuterRef("pk")).order_by("-created_at", "-id").values("status")[:1]
    ),
}
