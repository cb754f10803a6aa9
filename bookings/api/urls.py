"""Mounted at /api/. The seed's paths: no trailing slash on the booking actions
(cancel, confirm, complete; and razorpay-booking, verify-payment in payments)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views

app_name = "api"

urlpatterns = [
    path("services/", views.ServiceListApi.as_view(), name="service-list"),
    path("services/<slug:slug>/slots/", views.ServiceSlotsApi.as_view(), name="service-slots"),
    path("bookings/", views.BookingListCreateApi.as_view(), name="booking-list"),
    path("bookings/<int:pk>/", views.BookingDetailApi.as_view(), name="booking-detail"),
    path("bookings/<int:pk>/cancel", views.BookingCancelApi.as_view(), name="booking-cancel"),
    path("bookings/<int:pk>/confirm", views.BookingConfirmApi.as_view(), name="booking-confirm"),
    path("bookings/<int:pk>/complete", views.BookingCompleteApi.as_view(), name="booking-complete"),
    path("auth/token/", views.TokenObtainApi.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
