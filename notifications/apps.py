import sys

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import receivers, views  # noqa: F401  (connect the signal receivers)

        if sys.argv[1:2] == ["qcluster"]:  # the cluster's main process, before it forks its workers
            from .warmup import load_for_workers

            load_for_workers()
