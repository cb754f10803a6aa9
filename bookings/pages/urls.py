"""Mounted at the site's root (bookings_project/urls.py, after every other prefix)."""

from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:slug>/", views.service_page, name="service"),
    path("services/<slug:slug>/slots/", views.service_slots, name="slots"),
    path("services/<slug:slug>/book/", views.book, name="book"),
    # The secret link in every message (bookings.selectors.status_url builds the same path).
    path("b/<str:reference>/<str:token>/", views.status, name="status"),
    path("b/<str:reference>/<str:token>/cancel/", views.cancel, name="cancel"),
]
