from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from .models import Booking, BookingEvent, Closure, OpeningHours, Service


class OpeningHoursFormSet(BaseInlineFormSet):
    def clean(self):
        """Hours of one day may not overlap, among the rows submitted together too
        (each row's own clean only sees rows already saved)."""
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("opens")
        ]
        for n, a in enumerate(rows):
            for b in rows[n + 1 :]:
                same_day = a["weekday"] == b["weekday"]
                if same_day and a["opens"] < b["closes"] and b["opens"] < a["closes"]:
                    raise ValidationError("These hours overlap other hours of the same day.")


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "price", "currency", "capacity", "requires_payment", "is_active"]
    list_filter = ["is_active", "requires_payment"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "service", "starts_on", "ends_on", "reason"]
    list_filter = ["service"]
    date_hierarchy = "starts_on"


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "source", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "customer_name", "service", "local_start", "status", "amount"]
    list_filter = ["status", "service"]
    search_fields = ["reference", "customer_name", "phone", "email"]
    date_hierarchy = "start"
    list_select_related = ["service"]
    # Status, time and price change only through the booking services, which keep
    # the slot counters and the audit trail right; staff may correct contact details.
    readonly_fields = [
        "reference",
        "service",
        "start",
        "end",
        "status",
        "amount",
        "currency",
        "hold_expires_at",
        "user",
        "created_at",
        "updated_at",
    ]
    inlines = [BookingEventInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Start", ordering="start")
    def local_start(self, booking):
        return timezone.localtime(booking.start).strftime("%a %d %b %Y, %H:%M")
