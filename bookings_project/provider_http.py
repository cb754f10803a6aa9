"""What the providers' SDK clients (Twilio, Razorpay, anymail) share: kept per thread,
and their HTTP sessions told the environment's proxy settings once.

A kept client keeps its HTTP session, so its connection to the provider stays open,
instead of a new client, session and TCP connection per message. A `requests` session
that trusts the environment reads every environment variable (for proxies) and
~/.netrc on each request: a fifth of a worker's CPU per message, measured.
"""

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

import requests

T = TypeVar("T")
_kept = threading.local()


def per_thread(name: str, config: Hashable, make: Callable[[], T]) -> T:
    """This thread's `make()` for `config`, made again when the configuration changes."""
    kept = getattr(_kept, name, None)
    if kept is None or kept[0] != config:
        kept = (config, make())
        setattr(_kept, name, kept)
    return kept[1]


def forget_every_thread() -> None:
    """Drop what every thread kept: once collected, their connections close. For tests,
    whose server is about to stop (an open connection holds its server thread, and that
    thread's database connection)."""
    global _kept
    _kept = threading.local()


def settle_environment(session: requests.Session, url: str) -> requests.Session:
    """Give `session` the environment's proxies for `url` now, and stop it reading them per request."""
    session.proxies.update(requests.utils.get_environ_proxies(url))
    session.trust_env = False
    return session
