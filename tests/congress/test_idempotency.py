"""`Idempotency-Key` on API POSTs: a retried request creates one record (SECURITY S22).

The mechanism is exercised on a tiny DRF view that creates a ticket of the test workflow app,
called the way DRF calls any view; the contact-stations API tests show it on real endpoints.
"""

import datetime
import threading
import time

import pytest
from django.db import close_old_connections
from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from congress.idempotency import REPLAYED_HEADER, IdempotentPostMixin, idempotency_keys_purge
from congress.models import IdempotencyKey
from congress.models.accounts import Role
from tests.factories.congress import user_with_role
from tests.workflow_app.models import Ticket

PATH = "/api/v1/tickets/"


class TicketInput(serializers.Serializer):
    title = serializers.CharField(max_length=100)


class TicketCreateApi(IdempotentPostMixin, APIView):
    delay = 0.0

    def post(self, request):
        serializer = TicketInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = Ticket.objects.create(title=serializer.validated_data["title"])
        if self.delay:
            time.sleep(self.delay)  # hold the transaction open while a twin request arrives
        return Response({"id": ticket.pk, "title": ticket.title}, status=201)


def call(user, body, *, key=None, path=PATH, delay=0.0):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    request = APIRequestFactory().post(path, body, format="json", **headers)
    force_authenticate(request, user=user)
    response = TicketCreateApi.as_view(delay=delay)(request)
    response.render()
    return response


@pytest.fixture
def clerk(db):
    return user_with_role(Role.STAFF_CLERK, username="idem_clerk")


def test_without_a_key_every_post_creates(clerk):
    call(clerk, {"title": "a"})
    call(clerk, {"title": "a"})

    assert Ticket.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_retry_with_the_same_key_returns_the_stored_response_and_creates_nothing(clerk):
    first = call(clerk, {"title": "路灯"}, key="k-1")
    retry = call(clerk, {"title": "路灯"}, key="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.data == first.data
    assert retry[REPLAYED_HEADER] == "true" and not first.has_header(REPLAYED_HEADER)
    assert Ticket.objects.count() == 1
    stored = IdempotencyKey.objects.get()
    assert (stored.user, stored.method, stored.path, stored.key) == (clerk, "POST", PATH, "k-1")
    assert stored.status_code == 201
    assert stored.expires_at - stored.created_at == datetime.timedelta(hours=24)


def test_key_order_and_whitespace_of_the_body_do_not_matter(clerk):
    call(clerk, {"title": "x", "extra": 1}, key="k-order")
    retry = call(clerk, {"extra": 1, "title": "x"}, key="k-order")

    assert retry.status_code == 201 and retry[REPLAYED_HEADER] == "true"
    assert Ticket.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(clerk):
    call(clerk, {"title": "one"}, key="k-2")
    other = call(clerk, {"title": "two"}, key="k-2")

    assert other.status_code == 422
    assert other.data["code"] == "idempotency_key_reused"
    assert list(Ticket.objects.values_list("title", flat=True)) == ["one"]


def test_keys_are_scoped_to_the_user_and_the_path(clerk):
    other_user = user_with_role(Role.STAFF_CLERK, username="idem_other")

    call(clerk, {"title": "a"}, key="shared")
    call(other_user, {"title": "a"}, key="shared")
    call(clerk, {"title": "a"}, key="shared", path="/api/v1/other/")

    assert Ticket.objects.count() == 3
    assert IdempotencyKey.objects.count() == 3


def test_a_refused_request_stores_nothing_so_the_corrected_retry_runs(clerk):
    refused = call(clerk, {"title": ""}, key="k-3")
    corrected = call(clerk, {"title": "fixed"}, key="k-3")

    assert refused.status_code == 400
    assert corrected.status_code == 201 and not corrected.has_header(REPLAYED_HEADER)
    assert list(Ticket.objects.values_list("title", flat=True)) == ["fixed"]


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "非ASCII"])
def test_a_malformed_key_is_refused(clerk, key):
    response = call(clerk, {"title": "a"}, key=key)

    assert response.status_code == 400
    assert response.data["code"] == "invalid_idempotency_key"
    assert not Ticket.objects.exists()


def test_expired_keys_are_purged_and_a_key_reused_after_expiry_runs_again(clerk):
    call(clerk, {"title": "old"}, key="k-4")
    call(clerk, {"title": "fresh"}, key="k-5")
    IdempotencyKey.objects.filter(key="k-4").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    again = call(clerk, {"title": "old"}, key="k-4")
    assert again.status_code == 201 and not again.has_header(REPLAYED_HEADER)
    assert Ticket.objects.filter(title="old").count() == 2

    IdempotencyKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert idempotency_keys_purge(batch=1) == 2
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_the_same_key_create_exactly_one_record():
    """The first request holds its transaction open; its twin waits on the key row (PostgreSQL)
    or the write lock (SQLite) and then replays the stored response, or is told 409 to retry."""
    user = user_with_role(Role.STAFF_CLERK, username="idem_race")
    barrier = threading.Barrier(2)
    results = []

    def send():
        try:
            barrier.wait(timeout=10)
            response = call(user, {"title": "并发"}, key="race", delay=0.3)
            results.append((response.status_code, response.data, response.has_header(REPLAYED_HEADER)))
        except Exception as error:  # noqa: BLE001 - surfaced by the assertions below
            results.append((error, None, None))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Ticket.objects.count() == 1, results
    assert IdempotencyKey.objects.count() == 1
    statuses = sorted(status for status, _data, _replayed in results)
    assert statuses in ([201, 201], [201, 409]), results
    created = [data for status, data, replayed in results if status == 201 and not replayed]
    assert len(created) == 1
    for status, data, replayed in results:
        if status == 201 and replayed:
            assert data == created[0]
        if status == 409:
            assert data["code"] == "request_in_progress"
