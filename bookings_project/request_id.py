"""A request id for every log line of a request, carried into the tasks it enqueues.

The id comes from the proxy's X-Request-ID header when it sends one (so logs join
across nginx and the app), else a new one; the response sends it back.
"""

import contextvars
import logging
import re
import uuid

_current = contextvars.ContextVar("request_id", default="")
VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current() -> str:
    return _current.get()


def bind(request_id: str) -> contextvars.Token:
    return _current.set(request_id)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if VALID.match(given) else uuid.uuid4().hex
        token = bind(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current() or "-"
        return True


# Secret links (/b/<reference>/<token>/, /pay/<reference>/<token>/) must not reach logs.
SECRET_PATH = re.compile(r"(/(?:b|pay)/BK-[A-Z0-9]+/)[A-Za-z0-9_-]{8,}")


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = SECRET_PATH.sub(r"\1[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
