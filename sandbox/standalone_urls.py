"""The URLs `manage.py runsandbox` serves: the sandbox alone, at the same /sandbox/ prefix."""

from django.urls import include, path

urlpatterns = [path("sandbox/", include("sandbox.urls"))]
