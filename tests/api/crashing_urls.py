"""The project's URLs plus views that fail as a bug would, for test_errors.py."""

from django.urls import path
from rest_framework.views import APIView

from bookings_project.urls import handler404, handler500, urlpatterns  # noqa: F401


class BrokenApi(APIView):
    def get(self, request):
        raise RuntimeError("a bug")


def broken_page(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/broken/", BrokenApi.as_view()),
    path("api/broken-page/", broken_page),
    path("broken-page/", broken_page),
    *urlpatterns,
]
