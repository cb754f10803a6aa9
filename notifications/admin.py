from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from bookings.admin import BookingAdmin, ReadOnlyInline

from .models import Notification
from .services import RESENDABLE, resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["booking", "event", "channel", "recipient", "status", "attempts", "queued_at", "last_error"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "booking__reference", "provider_message_id"]
    list_select_related = ["booking"]
    date_hierarchy = "queued_at"
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        resend_view = self.admin_site.admin_view(self.resend_view)
        return [path("<int:pk>/resend/", resend_view, name="notifications_notification_resend"), *super().get_urls()]

    def resend_view(self, request, pk: int):
        """The "Send again" button of a failed message on the booking page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        notification = get_object_or_404(Notification, pk=pk)
        if not self.has_change_permission(request, notification):
            raise PermissionDenied
        if resend(notification):
            self.message_user(request, f"{notification} queued again.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:bookings_booking_change", args=[notification.booking_id]))

    @admin.action(description="Send again (failed or undelivered messages)", permissions=["change"])
    def send_again(self, request, queryset):
        resent = sum(resend(notification) for notification in queryset)
        skipped = queryset.count() - resent
        self.message_user(request, f"{resent} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) were not failed and were left alone.", messages.WARNING)


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ["event", "channel", "recipient", "status", "attempts", "last_error", "sent_at", "delivered_at", "again"]
    ordering = ["queued_at", "id"]

    @admin.display(description="")
    def again(self, notification):
        if notification.status not in RESENDABLE:
            return ""
        # A button of the booking's own form (an inline cannot hold a form of its own),
        # posting to the resend view with the form's CSRF token.
        url = reverse("admin:notifications_notification_resend", args=[notification.pk])
        return format_html('<button type="submit" formaction="{}" formmethod="post">Send again</button>', url)


def _count(condition: Q) -> Subquery:
    """Messages of the row's booking matching `condition`, as one subquery (no join that
    would multiply rows when other apps annotate too)."""
    rows = Notification.objects.filter(condition, booking=OuterRef("pk")).order_by()
    return Subquery(rows.values("booking").annotate(n=Count("pk")).values("n"), output_field=IntegerField())


Status = Notification.Status
UNDELIVERED = [Status.FAILED, Status.UNDELIVERED, Status.BOUNCED]


@admin.display(description="Messages")
def messages_at_a_glance(booking) -> str:
    total, done, failed = booking.messages_total or 0, booking.messages_done or 0, booking.messages_failed or 0
    if not total:
        return "-"
    return f"{done}/{total} sent" + (f", {failed} failed" if failed else "")


# The booking pages show their messages; bookings/ itself knows nothing of notifications.
BookingAdmin.inlines = [*BookingAdmin.inlines, NotificationInline]
BookingAdmin.list_display = [*BookingAdmin.list_display, messages_at_a_glance]
BookingAdmin.list_annotations = {
    **BookingAdmin.list_annotations,
    "messages_total": _count(Q()),
    "messages_done": _count(Q(status__in=[Status.SENT, Status.DELIVERED])),
    "messages_failed": _count(Q(status__in=UNDELIVERED)),
}
