"""Staff run the day from here. Every status change goes through bookings.staff and the
booking services, so the audit trail, the slot counters and the messages stay right."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Now
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from . import staff
from .errors import BookingError
from .models import Booking, BookingEvent, Closure, OpeningHours, Service
from .selectors import business_tz, day_bounds, local_date


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


class ReadOnlyInline(admin.TabularInline):
    """A record shown on the booking page (its history, payments, messages), never edited there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ["created_at", "from_status", "to_status", "source", "actor", "note"]
    verbose_name_plural = "History"


class DayFilter(admin.SimpleListFilter):
    """Days in the business time zone, for the desk's "what is on today"."""

    title = "day"
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return [
            ("today", "Today"),
            ("tomorrow", "Tomorrow"),
            ("week", "This week"),
            ("upcoming", "From now on"),
            ("past", "Past"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = local_date(now)
        monday = today - timedelta(days=today.weekday())
        ranges = {
            "today": day_bounds(today),
            "tomorrow": day_bounds(today + timedelta(days=1)),
            "week": (day_bounds(monday)[0], day_bounds(monday + timedelta(days=6))[1]),
        }
        if self.value() in ranges:
            start, end = ranges[self.value()]
            return queryset.filter(start__gte=start, start__lt=end)
        if self.value() == "upcoming":
            return queryset.filter(start__gte=now)
        if self.value() == "past":
            return queryset.filter(start__lt=now)
        return queryset


class DateRangeFilter(admin.ListFilter):
    """Bookings starting from one day to another (inclusive, business time zone)."""

    title = "date range"
    template = "admin/bookings/date_range_filter.html"
    parameters = ("start_from", "start_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                value = value[-1] if isinstance(value, list) else value
                try:
                    self.values[name] = parse_date(value) if value else None
                except ValueError:  # well-formed but not a day (2026-02-30): no filter
                    self.values[name] = None
        self.request = request

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def choices(self, changelist):
        # Read by the template: the current values, and the other filters' parameters to keep.
        keep = {k: v for k, v in self.request.GET.items() if k not in self.parameters}
        return [{"values": {k: (v.isoformat() if v else "") for k, v in self.values.items()}, "keep": keep}]

    def queryset(self, request, queryset):
        start_from, start_to = self.values.get("start_from"), self.values.get("start_to")
        if start_from:
            queryset = queryset.filter(start__gte=day_bounds(start_from)[0])
        if start_to:
            queryset = queryset.filter(start__lt=day_bounds(start_to)[1])
        return queryset


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "customer_name", "phone", "service", "local_start", "status"]
    list_filter = ["status", DayFilter, DateRangeFilter, "service"]
    search_fields = ["reference", "customer_name", "phone", "email"]
    date_hierarchy = "start"
    list_select_related = ["service"]
    list_per_page = 50
    actions = ["confirm_selected", "complete_selected", "cancel_selected"]
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
    # Columns other apps add (payment, messages) come with the annotations they read,
    # so the list runs the same number of queries for any page size.
    list_annotations: dict = {}

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**self.list_annotations)

    def get_ordering(self, request):
        # Upcoming first (soonest first), then the past (latest first). Expressions, not
        # annotations: Django also orders other admins' choices of bookings with this.
        past = Case(When(start__lt=Now(), then=Value(1)), default=Value(0), output_field=IntegerField())
        upcoming = Case(When(start__gte=Now(), then=F("start")), default=None)
        return [past.asc(), upcoming.asc(), F("start").desc()]

    @admin.display(description="Start", ordering="start")
    def local_start(self, booking):
        return timezone.localtime(booking.start, business_tz()).strftime("%a %d %b %Y, %H:%M")

    # --- Status changes: bulk actions and the buttons of the booking page -------------

    def _perform(self, request, queryset, move_name: str) -> None:
        done, refused = [], []
        for booking in queryset.select_related("service"):
            try:
                staff.perform(request.user, booking, move_name)
            except (PermissionDenied, BookingError) as error:
                refused.append(f"{booking.reference}: {error}")
            else:
                done.append(booking.reference)
        if done:
            label = staff.MOVES[move_name].to
            self.message_user(request, f"{len(done)} booking(s) {label}: {', '.join(done)}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Confirm selected bookings", permissions=["confirm"])
    def confirm_selected(self, request, queryset):
        self._perform(request, queryset, "confirm")

    @admin.action(description="Mark selected bookings completed", permissions=["complete"])
    def complete_selected(self, request, queryset):
        self._perform(request, queryset, "complete")

    @admin.action(description="Cancel selected bookings (paid ones are refunded)", permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        self._perform(request, queryset, "cancel")

    def has_confirm_permission(self, request):
        return request.user.has_perm("bookings.confirm_booking")

    def has_complete_permission(self, request):
        return request.user.has_perm("bookings.complete_booking")

    def has_cancel_permission(self, request):
        return request.user.has_perm("bookings.cancel_booking")

    def get_urls(self):
        move = self.admin_site.admin_view(self.move_view)
        today = self.admin_site.admin_view(self.today_view)
        return [
            path("today/", today, name="bookings_booking_today"),
            path("<int:object_id>/move/<str:move_name>/", move, name="bookings_booking_move"),
            *super().get_urls(),
        ]

    def move_view(self, request, object_id: int, move_name: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if move_name not in staff.MOVES:
            raise PermissionDenied
        booking = get_object_or_404(Booking.objects.select_related("service"), pk=object_id)
        self._perform(request, Booking.objects.filter(pk=booking.pk), move_name)
        return HttpResponseRedirect(reverse("admin:bookings_booking_change", args=[booking.pk]))

    def today_view(self, request):
        return HttpResponseRedirect(reverse("admin:bookings_booking_changelist") + "?day=today")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        booking = self.get_object(request, object_id)
        moves = staff.allowed_moves(request.user, booking) if booking else []
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "moves": moves})
