"""Shapes of the payment endpoints' requests and answers (the booking's are bookings.api's)."""

from rest_framework import serializers

from bookings.api.serializers import BookingCreatedOutputSerializer

PROVIDER_ID = r"^[A-Za-z0-9_]+$"  # order_..., pay_...: refuse anything else before it reaches a query


class RazorpayOrderOutputSerializer(serializers.Serializer):
    key_id = serializers.CharField(help_text="The public key id for Checkout. The secret never leaves the server.")
    order_id = serializers.CharField()
    amount = serializers.IntegerField(help_text="In minor units (paise for INR), computed by the server.")
    currency = serializers.CharField()


class RazorpayBookingOutputSerializer(serializers.Serializer):
    booking = BookingCreatedOutputSerializer()
    razorpay = RazorpayOrderOutputSerializer()


class VerifyPaymentInputSerializer(serializers.Serializer):
    razorpay_order_id = serializers.RegexField(PROVIDER_ID, max_length=64)
    razorpay_payment_id = serializers.RegexField(PROVIDER_ID, max_length=64)
    razorpay_signature = serializers.RegexField(r"^[0-9a-fA-F]+$", max_length=128, help_text="Hex HMAC-SHA256.")
