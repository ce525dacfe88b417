"""Sealing and verifying the audit trail by hash chain (SECURITY S21, S24).

Two streams are chained: django-auditlog's field-change rows and the services' Event rows. A
beat task seals new rows every few minutes: under a lock on the stream's head row it reads the
rows after the last sealed one, in primary-key order, and stores for each
digest = SHA-256(previous digest ‖ canonical content). `verify_stream` recomputes the chain and
reports every row altered, deleted, or slipped in between sealed rows, and any edit of the seals.

Rows are sealed only once they are `AUDIT_SEAL_LAG_SECONDS` old: on PostgreSQL a transaction
that took its id earlier can commit later than one that took a higher id, and sealing past it
would leave it out for good. If a transaction ever outlives the lag, the verifier reports the row
as "unsealed inside the chain" so that someone looks at it.

Retention: rows older than `AUDIT_RETENTION_DAYS` (≥ 184) may be purged with their seals; the
head remembers the digest the chain was cut at, so the rest still verifies and a purge of
younger rows is detected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from congress.models import AuditChainHead, AuditSeal, AuditStream, Event

MINIMUM_RETENTION_DAYS = 184


@dataclass(frozen=True)
class Stream:
    model: type
    time_field: str
    fields: tuple[str, ...]


STREAMS: dict[str, Stream] = {
    AuditStream.AUDITLOG: Stream(
        LogEntry,
        "timestamp",
        (
            "id",
            "content_type_id",
            "object_pk",
            "object_id",
            "object_repr",
            "serialized_data",
            "action",
            "changes_text",
            "changes",
            "actor_id",
            "actor_email",
            "cid",
            "remote_addr",
            "remote_port",
            "timestamp",
            "additional_data",
        ),
    ),
    AuditStream.EVENT: Stream(
        Event,
        "created_at",
        (
            "id",
            "content_type_id",
            "object_id",
            "actor_id",
            "verb",
            "from_state",
            "to_state",
            "note",
            "data",
            "created_at",
        ),
    ),
}


@dataclass(frozen=True)
class Problem:
    stream: str
    entry_id: int | None
    kind: str  # altered | deleted | unsealed | seal_broken | head_mismatch
    detail: str

    def __str__(self):
        where = f"#{self.entry_id}" if self.entry_id is not None else ""
        return f"{self.stream}{where}: {self.kind} — {self.detail}"


def _canonical(row: dict) -> str:
    def value(item):
        # Timestamps in UTC, so that a dump restored under another TIME_ZONE verifies the same.
        return item.astimezone(UTC).isoformat() if isinstance(item, datetime) else item

    return json.dumps(
        {key: value(item) for key, item in row.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def chain_digest(previous: str, row: dict) -> str:
    return hashlib.sha256((previous + "\n" + _canonical(row)).encode()).hexdigest()


def _head_for_update(stream: str) -> AuditChainHead:
    try:
        with transaction.atomic():
            AuditChainHead.objects.get_or_create(stream=stream)
    except IntegrityError:
        pass  # another sealer created it at the same moment
    return AuditChainHead.objects.select_for_update().get(stream=stream)


def seal_stream(stream: str, *, batch_size: int = 1000, now=None, lag_seconds: int | None = None) -> int:
    """Seal every row of the stream old enough to be sealed; returns how many were sealed.

    One transaction per batch: a worker killed mid-run leaves whole batches sealed and the next
    run continues after the last one. Three queries per batch whatever the table size.
    """
    spec = STREAMS[stream]
    lag = settings.AUDIT_SEAL_LAG_SECONDS if lag_seconds is None else lag_seconds
    cutoff = (now or timezone.now()) - timedelta(seconds=lag)
    sealed = 0
    while True:
        with transaction.atomic():
            head = _head_for_update(stream)
            rows = list(
                spec.model.objects.filter(pk__gt=head.last_entry_id, **{f"{spec.time_field}__lte": cutoff})
                .order_by("pk")
                .values(*spec.fields)[:batch_size]
            )
            if not rows:
                return sealed
            digest = head.last_digest
            seals = []
            for row in rows:
                previous, digest = digest, chain_digest(digest, row)
                seals.append(AuditSeal(stream=stream, entry_id=row["id"], prev_digest=previous, digest=digest))
            AuditSeal.objects.bulk_create(seals)
            head.last_entry_id = rows[-1]["id"]
            head.last_digest = digest
            head.sealed_count += len(rows)
            head.save(update_fields=["last_entry_id", "last_digest", "sealed_count", "updated_at"])
        sealed += len(rows)
        if len(rows) < batch_size:
            return sealed


def seal_all(**kwargs) -> dict[str, int]:
    return {stream: seal_stream(stream, **kwargs) for stream in STREAMS}


def verify_stream(stream: str, *, batch_size: int = 2000) -> list[Problem]:
    """Recompute the stream's chain from its first remaining seal to the head."""
    spec = STREAMS[stream]
    problems: list[Problem] = []
    head = AuditChainHead.objects.filter(stream=stream).first()
    previous = head.purged_through_digest if head else ""
    last_entry_id = head.purged_through_entry_id if head else 0
    count = 0
    while True:
        seals = list(
            AuditSeal.objects.filter(stream=stream, entry_id__gt=last_entry_id).order_by("entry_id")[:batch_size]
        )
        if not seals:
            break
        ids = [seal.entry_id for seal in seals]
        # Every row in this id range, sealed or not: a row slipped in between sealed ones shows up.
        rows = {
            row["id"]: row
            for row in spec.model.objects.filter(pk__gt=last_entry_id, pk__lte=ids[-1])
            .order_by("pk")
            .values(*spec.fields)
        }
        for seal in seals:
            if seal.prev_digest != previous:
                problems.append(
                    Problem(stream, seal.entry_id, "seal_broken", "the seal does not follow the one before it")
                )
            row = rows.pop(seal.entry_id, None)
            if row is None:
                problems.append(Problem(stream, seal.entry_id, "deleted", "the sealed row is missing"))
            elif chain_digest(seal.prev_digest, row) != seal.digest:
                problems.append(Problem(stream, seal.entry_id, "altered", "the row differs from what was sealed"))
            previous = seal.digest
        problems.extend(
            Problem(stream, entry_id, "unsealed", "a row inside the sealed range has no seal")
            for entry_id in sorted(rows)
        )
        count += len(seals)
        last_entry_id = ids[-1]
    if head and (head.last_digest != previous or head.last_entry_id != last_entry_id):
        problems.append(
            Problem(stream, head.last_entry_id, "head_mismatch", "the chain does not end where its head says")
        )
    return problems


def verify_all() -> list[Problem]:
    return [problem for stream in STREAMS for problem in verify_stream(stream)]


def purge_before(*, older_than_days: int, now=None) -> dict[str, int]:
    """Delete sealed audit rows older than the retention period, with their seals (S21)."""
    if older_than_days < MINIMUM_RETENTION_DAYS:
        raise ValueError(f"audit rows are kept at least {MINIMUM_RETENTION_DAYS} days")
    boundary = (now or timezone.now()) - timedelta(days=older_than_days)
    purged = {}
    for stream, spec in STREAMS.items():
        with transaction.atomic():
            head = _head_for_update(stream)
            # Only sealed rows are purged, and only a prefix of the chain, so what stays verifies.
            last = (
                spec.model.objects.filter(pk__lte=head.last_entry_id, **{f"{spec.time_field}__lt": boundary})
                .order_by("-pk")
                .values_list("pk", flat=True)
                .first()
            )
            if last is None:
                purged[stream] = 0
                continue
            seal = AuditSeal.objects.get(stream=stream, entry_id=last)
            rows = spec.model.objects.filter(pk__lte=last)
            # Event's own manager refuses deletes on purpose; the retention purge is the one
            # sanctioned path, so it deletes without loading or signalling.
            purged[stream] = rows._raw_delete(rows.db)
            AuditSeal.objects.filter(stream=stream, entry_id__lte=last).delete()
            head.purged_through_entry_id = last
            head.purged_through_digest = seal.digest
            head.save(update_fields=["purged_through_entry_id", "purged_through_digest", "updated_at"])
    return purged
