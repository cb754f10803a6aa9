"""The WSGI servers that serve the sandbox outside a production web server."""

import socket
import socketserver

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer


class NoDelayMixin:
    """Answers without Nagle's delay. Django's development servers write an answer in
    several sends (headers, then body); on a kept-alive connection Nagle's algorithm
    holds the body until the client's delayed ACK, adding 40 ms to every call after a
    connection's first: a latency no provider has, which the SDKs' kept sessions met."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class SandboxServer(NoDelayMixin, socketserver.ThreadingMixIn, WSGIServer):
    """`runsandbox`'s server: a thread per connection, so injected latency holds no one up."""

    daemon_threads = True  # a request sleeping on injected latency never holds up Ctrl-C
    request_queue_size = 128  # a benchmark opens many connections at once


class LiveServer(NoDelayMixin, ThreadedWSGIServer):
    """The tests' live server (which serves the sandbox to the SDKs)."""
