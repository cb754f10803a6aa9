"""The Idempotency-Key header on POST create endpoints, stored in the database.

A client that is not sure its request arrived (a timeout, a dropped connection)
sends it again with the same key and gets the first response instead of a second
booking. Semantics (after draft-ietf-httpapi-idempotency-key-header):

- same key, same body, first request finished with 2xx: its response is returned
  again, the same status (201) and body, with the header `Idempotent-Replayed: true`;
- same key, other body: 422 `idempotency_key_reused`;
- same key while the first request is still running: 409 `idempotency_key_in_progress`;
- a request that fails (any 4xx or 5xx) stores nothing: the key may be used again;
- keys are scoped by endpoint and user (or "anonymous") and live 24 hours.

The unique (key, scope) constraint decides between concurrent duplicates: the
request whose row is inserted runs, the others see that row. With `atomic=True`
(the default) the operation and the stored response commit together, so a key is
never recorded for a booking that was rolled back, nor a booking made without its
key being recorded. An operation that calls a provider must not run inside a
transaction (STYLE.md): pass `atomic=False`; the response is then stored just after.

Usage in a view:

    def post(self, request):
        return idempotent(request, scope="bookings.create", operation=lambda: self.create(request))
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from bookings.models import IdempotencyKey

from .errors import IdempotencyKeyInProgress, IdempotencyKeyReused

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
# A key claimed this long ago without a response belongs to a request that died
# (a request never runs this long): another request with the key may take it over.
ABANDONED_AFTER = timedelta(minutes=5)
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII: UUIDs, random tokens


def idempotent(request, *, scope: str, operation: Callable[[], Response], atomic: bool = True) -> Response:
    """Run `operation` once per Idempotency-Key (or every time without the header)."""
    key = request_key(request)
    if key is None:
        return operation()
    record = _claim(key, _scope(scope, request.user), fingerprint(request.data))
    if record.completed:
        return Response(record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"})
    try:
        if atomic:
            with transaction.atomic():
                response = operation()
                _complete(record, response)
        else:
            response = operation()
            _complete(record, response)
    except BaseException:
        _release(record)
        raise
    if not status.is_success(response.status_code):
        _release(record)
    return response


def request_key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID_KEY.fullmatch(key):
        raise ValidationError({HEADER: ["Use 1 to 255 visible ASCII characters, e.g. a UUID."]})
    return key


def fingerprint(data) -> str:
    """SHA-256 of the parsed body with sorted keys: whitespace and key order do not matter."""
    if hasattr(data, "lists"):  # a QueryDict from a form
        data = dict(data.lists())
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def purge_expired_keys(*, now=None) -> int:
    """Delete keys past their lifetime; the count deleted. Safe to run at any time."""
    now = now or timezone.now()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - KEY_LIFETIME).delete()
    return deleted


def _scope(name: str, user) -> str:
    return f"{name}:user:{user.pk}" if user.is_authenticated else f"{name}:anonymous"


def _claim(key: str, scope: str, request_hash: str) -> IdempotencyKey:
    """The key's row: a new claim of ours (not completed), or a completed one to replay.
    Raises when the key is another request's: in progress, or used with another body."""
    for _ in range(3):  # the other request may release its claim between our two statements
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(key=key, scope=scope, request_hash=request_hash)
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(key=key, scope=scope).first()
        if existing is None:
            continue
        if _outlived(existing) and _take_over(existing, request_hash):
            return existing
        if existing.request_hash != request_hash:
            raise IdempotencyKeyReused()
        if existing.completed:
            return existing
        raise IdempotencyKeyInProgress()
    raise IdempotencyKeyInProgress()


def _outlived(record: IdempotencyKey) -> bool:
    age = timezone.now() - record.created_at
    return age > (KEY_LIFETIME if record.completed else ABANDONED_AFTER)


def _take_over(record: IdempotencyKey, request_hash: str) -> bool:
    """Claim an expired or abandoned key; a conditional update, so only one request wins."""
    now = timezone.now()
    taken = IdempotencyKey.objects.filter(pk=record.pk, created_at=record.created_at).update(
        request_hash=request_hash, response_status=None, response_body=None, created_at=now
    )
    record.request_hash, record.response_status, record.response_body, record.created_at = request_hash, None, None, now
    return taken == 1


def _complete(record: IdempotencyKey, response: Response) -> None:
    if not status.is_success(response.status_code):
        return
    # Stored as rendered, so that a replay is byte for byte the JSON of the first answer.
    body = json.loads(JSONRenderer().render(response.data) or b"null")
    IdempotencyKey.objects.filter(pk=record.pk).update(response_status=response.status_code, response_body=body)


def _release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, created_at=record.created_at, response_status__isnull=True).delete()
