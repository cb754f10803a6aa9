from django.contrib import admin, messages

from bookings.admin import BookingAdmin

from .models import Notification
from .services import resend


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

    @admin.action(description="Send again (failed or undelivered messages)", permissions=["change"])
    def send_again(self, request, queryset):
        resent = sum(resend(notification) for notification in queryset)
        skipped = queryset.count() - resent
        self.message_user(request, f"{resent} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) were not failed and were left alone.", messages.WARNING)


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    can_delete = False
    fields = ["event", "channel", "recipient", "status", "attempts", "last_error", "sent_at", "delivered_at"]
    readonly_fields = fields
    ordering = ["queued_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False


# The booking page shows its messages; bookings/ itself knows nothing of notifications.
BookingAdmin.inlines = [*BookingAdmin.inlines, NotificationInline]
