"""Idempotency-Key on POST /api/bookings/: a repeated request gets the first response, not a second booking."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.api.idempotency import purge_expired_keys
from bookings.models import Booking, IdempotencyKey
from tests.api.conftest import BOOKINGS, assert_error

KEY = "3f1c1d9e-6a43-4e0c-9f8e-2b1f0c5a7d11"


def post(client, data, key=KEY, **extra):
    return client.post(BOOKINGS, data, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_the_same_key_and_body_return_the_first_response_and_book_once(anon, body):
    first = post(anon, body())
    again = post(anon, body())

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()  # the same booking, its access token included
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Booking.objects.count() == 1
    record = IdempotencyKey.objects.get()
    assert (record.key, record.scope, record.response_status) == (KEY, "bookings.create:anonymous", 201)


def test_the_body_is_compared_as_json_not_as_bytes(anon, body):
    data = body()
    first = post(anon, data)
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=2)
    again = anon.post(BOOKINGS, reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_the_same_key_with_another_body_is_422(anon, body):
    post(anon, body())
    response = post(anon, body(hour=11))
    assert_error(response, 422, "idempotency_key_reused")
    assert Booking.objects.count() == 1


def test_a_failed_request_stores_nothing_and_the_key_can_be_retried(anon, body):
    bad = body(customer={"name": "Asha", "phone": "12"})
    assert_error(post(anon, bad), 400, "invalid")
    assert_error(post(anon, bad), 400, "invalid")  # run again, not replayed
    assert IdempotencyKey.objects.count() == 0
    assert post(anon, body()).status_code == 201  # the corrected request, same key


def test_a_conflict_is_not_stored_either(anon, body, book):
    book()
    assert_error(post(anon, body(channels=[])), 409, "slot_unavailable")
    assert IdempotencyKey.objects.count() == 0


def test_keys_are_per_user(anon, as_asha, as_bala, asha, bala, body):
    ids = {post(client, body(hour)).json()["id"] for client, hour in [(anon, 10), (as_asha, 11), (as_bala, 12)]}
    assert len(ids) == 3
    assert set(IdempotencyKey.objects.values_list("scope", flat=True)) == {
        "bookings.create:anonymous",
        f"bookings.create:user:{asha.pk}",
        f"bookings.create:user:{bala.pk}",
    }
    assert post(as_asha, body(11)).json()["id"] in ids


def test_without_a_key_every_request_is_new(anon, body):
    assert anon.post(BOOKINGS, body(10), format="json").status_code == 201
    assert anon.post(BOOKINGS, body(11), format="json").status_code == 201
    assert IdempotencyKey.objects.count() == 0


@pytest.mark.parametrize("key", ["", "with space", "k" * 256, "ключ"])
def test_a_malformed_key_is_400(anon, body, key):
    assert_error(post(anon, body(), key=key), 400, "invalid", {"Idempotency-Key": "visible ASCII"})
    assert Booking.objects.count() == 0


def test_a_request_still_running_makes_a_duplicate_409(anon, body):
    first = post(anon, body())
    IdempotencyKey.objects.update(response_status=None, response_body=None)  # as if the first had not finished
    assert_error(post(anon, body()), 409, "idempotency_key_in_progress")
    assert Booking.objects.filter(pk=first.json()["id"]).count() == 1


def test_a_claim_abandoned_by_a_request_that_died_is_taken_over(anon, body):
    IdempotencyKey.objects.create(key=KEY, scope="bookings.create:anonymous", request_hash="0" * 64)
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    response = post(anon, body())
    assert response.status_code == 201
    assert IdempotencyKey.objects.get().response_body["id"] == response.json()["id"]


def test_keys_older_than_a_day_may_be_used_again_and_are_purged(anon, body):
    first = post(anon, body())
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    second = post(anon, body(hour=11))
    assert second.status_code == 201 and second.json()["id"] != first.json()["id"]
    assert IdempotencyKey.objects.get().response_body["id"] == second.json()["id"]

    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired_keys() == 1
    assert IdempotencyKey.objects.count() == 0
