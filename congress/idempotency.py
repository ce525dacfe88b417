"""`Idempotency-Key` for API POSTs: a retried request never creates a second record (SECURITY S22).

A township system that lost the answer to a POST (a timeout, a dropped connection) sends the same
request again with the same `Idempotency-Key` header. The first request stores its response under
the key, scoped to (user, method, path, key); the retry gets that response back, marked with
`Idempotent-Replayed: true`, and nothing runs twice.

How two requests with the same key are kept apart: the key row is inserted inside the transaction
that runs the view, before the view runs, under a unique constraint. A second request's insert
waits on the first one's uncommitted row (PostgreSQL's unique-index wait; on SQLite the IMMEDIATE
transaction waits for the write lock at BEGIN) and then finds the committed row and replays it.
If the first one failed, its transaction — key row included — is rolled back and the second one
simply runs. A wait longer than `IDEMPOTENCY_LOCK_TIMEOUT` seconds answers 409
`request_in_progress` rather than holding a connection.

Only a response the view returned is stored. A refused request (the view raised: invalid input,
a forbidden or stale transition) stores nothing, so the client may correct it and retry with the
same key. The same key with a different body is a client bug: 422 `idempotency_key_reused`.
Keys live `IDEMPOTENCY_KEY_TTL` (24 hours); `idempotency_keys_purge()` deletes expired ones and a
key reused after expiry starts afresh.
"""

import datetime
import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from congress.api_support import ApiError, ErrorSerializer
from congress.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
PURGE_BATCH = 1000

# Document the header on every operation that honours it (`extend_schema(parameters=[...])`).
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_(
        "A client-chosen unique key (at most 255 printable ASCII characters, e.g. a UUID) that makes "
        "the POST safe to retry for 24 hours: a retry with the same key and body returns the stored "
        "response (header `Idempotent-Replayed: true`) and creates nothing. The same key with another "
        "body is refused with 422 `idempotency_key_reused`; while the first request is still running "
        "a retry may get 409 `request_in_progress`. A refused request stores nothing."
    ),
)

# The extra error response of such an operation (`responses={201: ..., **IDEMPOTENCY_RESPONSES}`).
IDEMPOTENCY_RESPONSES = {
    422: OpenApiResponse(
        response=ErrorSerializer,
        description=_("The Idempotency-Key was already used for a different request (code `idempotency_key_reused`)."),
    ),
}


def _ttl() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "IDEMPOTENCY_KEY_TTL", 24 * 3600))


def _lock_timeout() -> float:
    return float(getattr(settings, "IDEMPOTENCY_LOCK_TIMEOUT", 10))


def _clean_key(value: str) -> str:
    if not value or len(value) > KEY_MAX_LENGTH or not all(32 < ord(ch) < 127 for ch in value):
        raise ApiError(
            400, "invalid_idempotency_key",
            _("The Idempotency-Key header must be 1 to 255 printable ASCII characters without spaces."),
        )
    return value


def fingerprint(request) -> str:
    """A digest of what the request asks for: its query string and its parsed body, canonical
    (key order and whitespace do not matter; a changed value does)."""
    body = json.dumps(request.data, sort_keys=True, cls=DjangoJSONEncoder, default=str, ensure_ascii=False)
    payload = f"{request.META.get('QUERY_STRING', '')}\n{body}"
    return hashlib.sha256(payload.encode()).hexdigest()


def _set_lock_timeout() -> None:
    if connection.vendor == "postgresql":
        milliseconds = max(1, int(_lock_timeout() * 1000))
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")


def _is_lock_wait(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "55P03" or getattr(cause, "pgcode", None) == "55P03":
        return True
    return "database is locked" in str(error)


def _in_progress() -> ApiError:
    return ApiError(
        409, "request_in_progress",
        _("A request with this Idempotency-Key is still being processed; retry in a moment."),
    )


def _replay(record: IdempotencyKey, digest: str) -> Response:
    if record.fingerprint != digest:
        raise ApiError(
            422, "idempotency_key_reused",
            _("This Idempotency-Key was used for a different request; use a new key for a new request."),
        )
    if not record.is_complete:
        raise _in_progress()
    response = Response(record.response_body, status=record.status_code)
    response[REPLAYED_HEADER] = "true"
    return response


def _json(data):
    """The response data as the client received it (what JSONRenderer makes of it)."""
    return json.loads(JSONRenderer().render(data) or b"null")


def run(request, handler) -> Response:
    """Run `handler()` (the view's POST) at most once per Idempotency-Key; see the module doc."""
    raw = request.headers.get(HEADER)
    if raw is None or not request.user.is_authenticated:
        return handler()
    key = _clean_key(raw.strip())
    digest = fingerprint(request)
    scope = {"user": request.user, "method": request.method, "path": request.path[:255], "key": key}
    now = timezone.now()
    try:
        with transaction.atomic():
            _set_lock_timeout()
            # A key past its lifetime that the purge has not reached yet starts afresh.
            IdempotencyKey.objects.filter(**scope, expires_at__lte=now).delete()
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        **scope, fingerprint=digest, created_at=now, expires_at=now + _ttl()
                    )
            except IntegrityError:
                return _replay(IdempotencyKey.objects.get(**scope), digest)
            response = handler()
            record.status_code = response.status_code
            record.response_body = _json(getattr(response, "data", None))
            record.completed_at = timezone.now()
            record.save(update_fields=["status_code", "response_body", "completed_at"])
            return response
    except OperationalError as error:
        if _is_lock_wait(error):
            raise _in_progress() from error
        raise


def idempotent(method):
    """Decorate a DRF view's `post(self, request, ...)` so that it honours Idempotency-Key."""

    @wraps(method)
    def wrapper(self, request, *args, **kwargs):
        return run(request, lambda: method(self, request, *args, **kwargs))

    wrapper.idempotent = True
    return wrapper


class IdempotentPostMixin:
    """A DRF view whose POST honours Idempotency-Key, whether it defines `post` itself or inherits
    it (a generic create view): once the request is authenticated, the handler DRF is about to
    call is wrapped on the instance."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        handler = getattr(self, "post", None)
        if request.method == "POST" and handler is not None and not getattr(handler, "idempotent", False):

            def post(request, *args, **kwargs):
                return run(request, lambda: handler(request, *args, **kwargs))

            post.idempotent = True
            self.post = post


def idempotency_keys_purge(*, now: datetime.datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete expired keys in batches (a bounded number of rows per statement); returns how many."""
    now = now or timezone.now()
    deleted = 0
    while True:
        ids = list(IdempotencyKey.objects.filter(expires_at__lte=now).values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += IdempotencyKey.objects.filter(pk__in=ids).delete()[0]
