"""Reads for the auditors' audit-trail page (SECURITY S20, S21): field changes, timeline events and
the state of the hash chain. Read-only; every list is preloaded so a page costs a fixed number of
queries whatever the size of the trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from congress.audit import AUDITED_APPS
from congress.models import AuditChainHead, Event


@dataclass(frozen=True)
class AuditFilters:
    model: ContentType | None = None
    actor: str = ""
    object_id: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def audited_models() -> list[ContentType]:
    return list(ContentType.objects.filter(app_label__in=AUDITED_APPS).order_by("app_label", "model"))


def _day_bounds(filters: AuditFilters):
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.since, datetime.time.min, zone) if filters.since else None
    end = datetime.datetime.combine(filters.until + datetime.timedelta(days=1), datetime.time.min, zone) \
        if filters.until else None
    return start, end


def _filtered(rows, filters: AuditFilters, *, time_field: str, object_field: str):
    start, end = _day_bounds(filters)
    if filters.model:
        rows = rows.filter(content_type=filters.model)
    if filters.actor:
        rows = rows.filter(actor__username__icontains=filters.actor)
    if filters.object_id:
        rows = rows.filter(**{object_field: filters.object_id})
    if start:
        rows = rows.filter(**{f"{time_field}__gte": start})
    if end:
        rows = rows.filter(**{f"{time_field}__lt": end})
    return rows


def field_changes(filters: AuditFilters):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    return _filtered(entries, filters, time_field="timestamp", object_field="object_pk")


def events(filters: AuditFilters):
    rows = Event.objects.select_related("actor", "content_type").order_by("-created_at", "-pk")
    return _filtered(rows, filters, time_field="created_at", object_field="object_id")


def chain_heads() -> list[AuditChainHead]:
    return list(AuditChainHead.objects.order_by("stream"))
