"""The site's URLs and the naive booking path (bench/naive.py): the baselines' gunicorn only."""

from django.urls import path

from bench.naive import NaiveBookingCreate
from bookings_project.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401

urlpatterns = [path("bench/naive/bookings/", NaiveBookingCreate.as_view()), *urlpatterns]
