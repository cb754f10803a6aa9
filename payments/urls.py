"""Mounted at the site's root, before the api/ include, so that these two booking endpoints
resolve here: the payment endpoints of the API, Razorpay's webhook and the payment page."""

from django.urls import path

from . import api, views, webhooks

app_name = "payments"

urlpatterns = [
    path("api/bookings/razorpay-booking", api.RazorpayBookingApi.as_view(), name="razorpay-booking"),
    path("api/bookings/verify-payment", api.VerifyPaymentApi.as_view(), name="verify-payment"),
    path("payments/razorpay/webhook", webhooks.razorpay_webhook, name="razorpay-webhook"),
    path("pay/<str:reference>/<str:token>/", views.checkout, name="checkout"),
    path("pay/<str:reference>/<str:token>/verify", views.verify, name="checkout-verify"),
]
