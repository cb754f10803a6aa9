"""What every queue worker needs, loaded in the cluster's main process before it forks
them (`manage.py qcluster`, see apps.py).

Each worker would otherwise import the Twilio SDK's resources, build the URL resolver
(for the status callback address) and compile the message templates on its first task,
found with py-spy: a 28-worker cluster draining 600 messages spent 20.2 s of CPU
without this and 12.1 s with it (a slow 2-core VM), and the cost comes back whenever
django-q recycles a worker. Forked workers inherit all of it.
"""

from django.conf import settings
from django.template.loader import get_template
from django.utils.module_loading import import_string

from .channels.twilio import status_callback_url
from .models import Notification


def load_for_workers() -> None:
    import twilio.rest.api.v2010.account.message  # noqa: F401  (the SDK imports it on first use)

    status_callback_url()  # the URL resolver
    import_string(settings.EMAIL_BACKEND)
    for event in Notification.Event.values:
        get_template(f"notifications/{event}.txt")
    get_template("notifications/email.html")
