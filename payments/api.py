"""The payment endpoints of the REST API, routed under /api/bookings/ by the project's urls.

Same conventions as bookings.api: one view per operation, input and output serializers,
errors (payment errors too, with their own codes and statuses) raised by the services
and rendered by bookings.api.errors.exception_handler.
"""

from django.conf import settings
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.idempotency import idempotent
from bookings.api.serializers import (
    BOOKING_FIELD_PATHS,
    BookingCreateInputSerializer,
    BookingOutputSerializer,
    booking_create_kwargs,
)
from bookings.api.throttles import ScopedThrottle

from . import schema
from .serializers import RazorpayBookingOutputSerializer, VerifyPaymentInputSerializer
from .services import checkout_start, checkout_verify


class RazorpayBookingApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "booking_create"
    service_field_paths = BOOKING_FIELD_PATHS

    @schema.razorpay_booking
    def post(self, request):
        return idempotent(
            request, scope="bookings.razorpay_booking", operation=lambda: self.create(request), atomic=False
        )

    def create(self, request) -> Response:
        serializer = BookingCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking, payment = checkout_start(**booking_create_kwargs(serializer.validated_data), user=request.user)
        order = {
            "key_id": settings.RAZORPAY_KEY_ID,
            "order_id": payment.order_id,
            "amount": payment.amount,
            "currency": payment.currency,
        }
        data = RazorpayBookingOutputSerializer({"booking": booking, "razorpay": order}).data
        return Response(data, status=status.HTTP_201_CREATED)


class VerifyPaymentApi(APIView):
    permission_classes = [AllowAny]  # the signature is the credential

    @schema.verify_payment
    def post(self, request):
        serializer = VerifyPaymentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        booking = checkout_verify(
            order_id=data["razorpay_order_id"],
            payment_id=data["razorpay_payment_id"],
            signature=data["razorpay_signature"],
        )
        return Response(BookingOutputSerializer(booking).data)
