"""Serves the provider sandbox alone, threaded, so that its latency never occupies the site's workers."""

import contextlib

from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand
from django.core.servers.basehttp import run

from sandbox.servers import SandboxServer


class SandboxHandler(WSGIHandler):
    """Django's WSGI handler resolving only the sandbox's URLs."""

    def get_response(self, request):
        request.urlconf = "sandbox.standalone_urls"
        return super().get_response(request)


class Command(BaseCommand):
    help = "Serve the provider sandbox (Twilio, Razorpay, Postmark stand-ins and the inbox) on its own port."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args, host, port, **options):
        self.check(display_num_errors=True)
        self.check_migrations()
        base = f"http://{host}:{port}/sandbox"
        self.stdout.write(
            f"Provider sandbox at {base}/ (Ctrl-C stops it).\n"
            f"Point the site at it: SANDBOX_URL={base} (TWILIO_API_BASE, RAZORPAY_API_BASE, POSTMARK_API_URL and\n"
            "RAZORPAY_CHECKOUT_JS follow it unless set themselves)."
        )
        with contextlib.suppress(KeyboardInterrupt):
            run(host, port, SandboxHandler(), server_cls=SandboxServer)  # threaded by SandboxServer itself
