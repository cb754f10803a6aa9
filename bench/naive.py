"""The naive write path of a booking, the yardstick of issue 9's targets, measured in the
same run as ours: `POST /bench/naive/bookings/`, served by the baselines' gunicorn only
(bench/urls.py, bench/settings.py), with the same body as `POST /api/bookings/`.

What a first Django + DRF version would write: a ModelSerializer, the slot's row locked
with select_for_update, the booking, its event and one notification row per channel
saved one by one in one transaction, then one django-q2 task per row enqueued after the
commit, each in its own commit (four commits). It validates what ours validates and
writes the same rows, so the worker sends its messages the same way: only how the
request does it differs. Nothing here is used by the site.
"""

from django.db import transaction
from django_q.tasks import async_task
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny

from bookings import selectors
from bookings.models import Booking, BookingEvent, Service, Slot
from notifications.models import Notification
from notifications.services import SEND_TASK, recipient_for


class SlotFull(APIException):
    status_code = 409
    default_detail = "This time is fully booked."
    default_code = "slot_unavailable"


class CustomerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    phone = PhoneNumberField()
    email = serializers.EmailField(required=False, allow_blank=True)


class NaiveBookingSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.filter(is_active=True))
    customer = CustomerSerializer(write_only=True)
    channels = serializers.ListField(child=serializers.ChoiceField(Booking.Channel.choices), required=False)

    class Meta:
        model = Booking
        fields = ["id", "reference", "service", "start", "end", "status", "customer", "channels", "amount", "currency"]
        read_only_fields = ["id", "reference", "end", "status", "amount", "currency"]

    def validate(self, data):
        if problem := selectors.start_problem(data["service"], data["start"]):
            raise serializers.ValidationError({"start": problem})
        if data["service"].requires_payment:
            raise serializers.ValidationError({"service": "This service is paid online when booking."})
        return data


class NaiveBookingCreate(generics.CreateAPIView):
    serializer_class = NaiveBookingSerializer
    permission_classes = [AllowAny]

    def perform_create(self, serializer):
        data = serializer.validated_data
        service, start, customer = data["service"], data["start"], data.pop("customer")
        with transaction.atomic():
            slot, _ = Slot.objects.select_for_update().get_or_create(service=service, start=start)
            if slot.taken >= service.capacity:
                raise SlotFull()
            slot.taken += 1
            slot.save()
            booking = serializer.save(
                end=start + service.duration,
                customer_name=customer["name"],
                phone=customer["phone"],
                email=customer.get("email", ""),
                status=Booking.Status.PENDING,
                amount=service.price,
                currency=service.currency,
            )
            BookingEvent.objects.create(
                booking=booking, from_status="", to_status=booking.status, source=BookingEvent.Source.CUSTOMER
            )
            rows = [
                Notification.objects.create(
                    booking=booking,
                    event=Notification.Event.BOOKING_RECEIVED,
                    channel=channel,
                    recipient=recipient_for(booking, channel),
                )
                for channel in booking.channels
            ]
        for row in rows:
            # sync=False: the baselines' gunicorn runs django-q2 in sync mode for the blocking
            # baseline; this path enqueues for the worker, as production would.
            async_task(SEND_TASK, row.pk, sync=False)
