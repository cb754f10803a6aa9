from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("anymail/", include("anymail.urls")),
    # Before api/: /api/bookings/razorpay-booking and /verify-payment, the Razorpay webhook
    # and the payment page /pay/... are the payments app's (bookings knows nothing of them).
    path("", include("payments.urls")),
    path("api/", include("bookings.api.urls")),
    # The customer pages at the root: /, /services/..., /b/<reference>/<token>/ (last: no prefix).
    path("", include("bookings.pages.urls")),
]

# JSON for /api/ paths, Django's pages elsewhere.
handler400 = "bookings.api.errors.bad_request"
handler404 = "bookings.api.errors.page_not_found"
handler500 = "bookings.api.errors.server_error"

if settings.SANDBOX_ENABLED:  # development only: settings refuse it without DEBUG
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
