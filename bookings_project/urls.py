from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("notifications/", include("notifications.urls")),
    path("anymail/", include("anymail.urls")),
    path("api/", include("bookings.api.urls")),
]

# JSON for /api/ paths, Django's pages elsewhere.
handler400 = "bookings.api.errors.bad_request"
handler404 = "bookings.api.errors.page_not_found"
handler500 = "bookings.api.errors.server_error"

if settings.SANDBOX_ENABLED:  # development only: settings refuse it without DEBUG
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
